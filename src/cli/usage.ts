/** Usage texts, kept apart from the commands so `rolecall help` loads none of them. */

export const SERVE_USAGE = `rolecall serve [--host H] [--port P] [--data DIR | --database postgres://...] [--allow-reset] [--quiet]
  --host H          address to listen on (default 127.0.0.1; ROLECALL_HOST)
  --port P          port (default 8470; ROLECALL_PORT)
  --data DIR        SQLite data folder (default .rolecall; ROLECALL_DATA)
  --database URL    PostgreSQL instead of SQLite; several servers may share it (ROLECALL_DATABASE_URL)
  --allow-reset     enable POST /_rolecall/reset, which wipes all state (for test suites only)
  --quiet           no access log on stdout`;

export const ACCOUNT_USAGE = `rolecall account create --name NAME [--id 12-DIGIT-ID] [--email EMAIL] [--data DIR | --database URL]
      Create an account and print its root user's access key (shown only this once).
  rolecall account list [--data DIR | --database URL]
      List the accounts as JSON lines.`;

export const AUDIT_USAGE = `rolecall audit [--principal ARN] [--event NAME] [--since ISO-TIME] [--until ISO-TIME] [--errors] [--limit N] [--data DIR | --database URL]
      Print audit events (CloudTrail format) as JSON lines, oldest first.`;

export const DECLARE_USAGE = `rolecall apply -f FILE|DIR|- [-R] [--prune] [-o json|name] [--endpoint-url URL] [--concurrency N]
      Create or converge the IAM roles the manifests declare (AWSProvider, IAMRole, v1 Secret); prints
      iamrole/NAME created|configured|unchanged|replaced and a summary. Exit 1 if any object failed.
  rolecall diff -f FILE|DIR|- [-R] [--prune]
      Show what apply would change as a unified diff (exit 0 no differences, 1 differences, >1 error).
  rolecall get iamroles|awsproviders -f FILE|DIR|- [-R] [-o yaml|json|wide|name]
      List the declared objects with their status computed live from the endpoint.
  rolecall describe [iamroles|awsproviders] -f FILE|DIR|- [-R]
      Show each object's spec, live status, conditions and pending changes.
  rolecall delete -f FILE|DIR|- [-R] [--ignore-not-found]
      Delete the declared roles (deletionPolicy Retain/Orphan keeps them and releases ownership).
      Endpoint: each AWSProvider's spec.endpoint, else --endpoint-url, AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL, else AWS.`;

export const BLUEPRINT_USAGE = `rolecall blueprint render -f FILE [--set NAME=VALUE ...] [-o yaml|json]
      Expand RoleBlueprint documents into IAMRole manifests, IRSA ServiceAccounts and Pod Identity
      associations (docs/blueprints.md); \`rolecall apply -f FILE --set ...\` applies the roles directly.`;

export const OPERATOR_USAGE = `rolecall operator [--namespace NS] [--drift-period 10m] [--identity ID] [--lease-namespace NS]
      [--lease-name rolecall-operator] [--lease-duration 15s] [--renew-deadline 10s] [--retry-period 2s] [--endpoint-url URL]
      Run the Kubernetes controller for AWSProvider, IAMRole and RoleBlueprint (leader-elected; docs/operator.md).
  rolecall operator crds
      Print the CustomResourceDefinitions the operator serves.`;
