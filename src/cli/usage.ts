/** Usage texts, kept apart from the commands so `rolecall help` loads none of them. */

export const SERVE_USAGE = `rolecall serve [--host H] [--port P] [--data DIR | --database postgres://...] [--public-url URL] [--allow-reset] [--quiet]
              [--max-connections N] [--request-timeout SECONDS] [--max-buffered-body-bytes BYTES]
  --host H          address to listen on (default 127.0.0.1; ROLECALL_HOST)
  --port P          port (default 8470; ROLECALL_PORT)
  --data DIR        SQLite data folder (default .rolecall; ROLECALL_DATA)
  --database URL    PostgreSQL instead of SQLite; several servers may share it (ROLECALL_DATABASE_URL)
  --public-url URL  the URL clients reach this server at (default: the listen address; ROLECALL_PUBLIC_URL);
                    its clusters' token issuers are https://<its host and path>/clusters/<name>
  --allow-reset     enable POST /_rolecall/reset, which wipes all state (for test suites only)
  --quiet           no access log on stdout
  --server-keys-file FILE    sealing keys, id:base64key[,...] (mode 0600; ROLECALL_SERVER_KEYS_FILE, or the
                             keys themselves in ROLECALL_SERVER_KEYS). Required with --database; SQLite
                             otherwise keeps a generated key in its data folder
  --max-connections N        open connections at once; further connections are closed as they arrive
                             (default 1024; ROLECALL_MAX_CONNECTIONS)
  --request-timeout SECONDS  time a client has to send a whole request, headers and body
                             (default 20; ROLECALL_REQUEST_TIMEOUT)
  --max-buffered-body-bytes BYTES  request bodies held in memory at once, all connections together;
                             beyond it requests get 503 ServiceUnavailable (default 67108864 = 64 MiB;
                             ROLECALL_MAX_BUFFERED_BODY_BYTES). One body is at most 1 MiB (413).`;

export const KEYS_USAGE = `rolecall keys generate [--id ID]
      Print a new sealing key, id:base64key, for ROLECALL_SERVER_KEYS or a key file.
  rolecall keys reseal [--server-keys-file FILE] [--data DIR | --database URL]
      Re-seal every stored secret with the first configured key (ROLECALL_SERVER_KEYS or FILE), then
      remove any key the store kept itself. The last step of a key rotation (docs/security.md).`;

export const ACCOUNT_USAGE = `rolecall account create --name NAME [--id 12-DIGIT-ID] [--email EMAIL] [--partition aws|aws-cn|aws-us-gov|...] [--data DIR | --database URL]
      Create an account and print its root user's access key (shown only this once); without --partition,
      its first signed request binds it to the partition of the region it is signed for.
  rolecall account list [--data DIR | --database URL]
      List the accounts as JSON lines.`;

export const AUDIT_USAGE = `rolecall audit [--principal ARN] [--event NAME] [--since ISO-TIME] [--until ISO-TIME] [--errors] [--limit N] [--data DIR | --database URL]
      Print audit events (CloudTrail format) as JSON lines, oldest first.`;

export const MFA_USAGE = `rolecall mfa code --seed-file FILE [--next | --consecutive]
      Print the six-digit code a virtual MFA device with this seed shows now (FILE: the base32 seed that
      create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile writes), or the next one; with
      --consecutive, the previous and the current code on one line: the two codes enable-mfa-device takes.`;

export const WEBHOOK_USAGE = `rolecall webhook [--port 443] [--metrics-port 9999] [--tls-cert FILE --tls-key FILE] [--manifests PATH] [--cluster NAME] [mutation flags]
      The mutating admission webhook of amazon-eks-pod-identity-webhook: POST /mutate, /healthz, /metrics.
      ServiceAccounts from the Kubernetes API (kubeconfig or in-cluster), or from --manifests (YAML); with
      --cluster, Pod Identity associations of that cluster from Rolecall (AWS_ENDPOINT_URL or --endpoint-url).
      Mutation flags as the Go webhook names them: --annotation-prefix, --token-audience, --token-mount-path,
      --token-expiration, --aws-default-region, --sts-regional-endpoint, --aws-endpoint-url (Rolecall's addition), --container-credentials-audience,
      --container-credentials-mount-path, --container-credentials-volume-name, --container-credentials-token-path,
      --container-credentials-full-uri; --watch-config-map [--namespace eks], --compose-role-arn
      [--compose-role-arn-account ID] (docs/kubernetes.md).`;

export const AGENT_USAGE = `rolecall agent --cluster-name NAME [--bind 169.254.170.23,fd00:ec2::23] [--port 80] [--endpoint-url URL] [--region R]
      The EKS Pod Identity node agent (eks-pod-identity-agent compatible): GET /v1/credentials with the pod's
      token in Authorization; calls EKS Auth with the default credential chain. --bind 127.0.0.1 --port P for
      local use. Also --probe-port 2703, --metrics-address, --metrics-port 2705,
      --max-credential-retention-before-renewal 3h, --max-cache-size 2000.`;

export const DECLARE_USAGE = `rolecall apply -f FILE|DIR|- [-R] [--prune] [-o json|name] [--endpoint-url URL] [--concurrency N]
      Create or converge the IAM roles the manifests declare (AWSProvider, IAMRole, v1 Secret), then their
      PodIdentityAssociations through EKS; prints iamrole/NAME (podidentityassociation/NAME)
      created|configured|unchanged|replaced and a summary; v1 ServiceAccounts are skipped with a line.
      Exit 1 if any object failed. Blueprints: --set [BLUEPRINT.]NAME=VALUE.
  rolecall diff -f FILE|DIR|- [-R] [--prune]
      Show what apply would change as a unified diff (exit 0 no differences, 1 differences, >1 error).
  rolecall get iamroles|awsproviders|podidentityassociations -f FILE|DIR|- [-R] [-o yaml|json|wide|name]
      List the declared objects with their status computed live from the endpoint.
  rolecall describe [iamroles|awsproviders|podidentityassociations] -f FILE|DIR|- [-R]
      Show each object's spec, live status, conditions and pending changes.
  rolecall delete -f FILE|DIR|- [-R] [--ignore-not-found]
      Delete the declared roles (deletionPolicy Retain/Orphan keeps them and releases ownership).
      Endpoint: each AWSProvider's spec.endpoint, else --endpoint-url, AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL, else AWS.`;

export const BLUEPRINT_USAGE = `rolecall blueprint render -f FILE [--set [BLUEPRINT.]NAME=VALUE ...] [-o yaml|json]
      Expand RoleBlueprint documents into IAMRole manifests, IRSA ServiceAccounts and Pod Identity
      associations (docs/blueprints.md); \`rolecall apply -f FILE --set ...\` applies roles and associations directly.`;

export const RUN_USAGE = `rolecall run --cluster NAME [--namespace NS] --service-account SA [--manifests PATH] [--keep-home] [--endpoint-url URL] -- COMMAND [ARGS...]
      Runs COMMAND as a container of a pod using that ServiceAccount: what the webhook would inject (IRSA from
      the role-arn annotation in --manifests, or Pod Identity from the cluster's associations), token files in
      a private folder kept fresh, a local agent for Pod Identity; none of the caller's AWS credentials; a private
      HOME (the AWS CLI caches role credentials there) unless --keep-home.`;

export const CLUSTER_USAGE = `rolecall cluster create NAME [--key-algorithm RS256|ES256] [--tag KEY=VALUE ...]
      Create a cluster whose service-account tokens this Rolecall issues (https://<server>/clusters/NAME).
  rolecall cluster register NAME --issuer URL | --jwks FILE [--tag KEY=VALUE ...]
      Register a real cluster by its token issuer URL (discovery and JWKS fetched) or an inline JWKS.
  rolecall cluster list | describe NAME | delete NAME
      List, show (as aws eks describe-cluster) or delete clusters (deleting removes its pod identity associations).
      All take [--endpoint-url URL] [--region R] [--profile P]; the server is found as the AWS CLI finds it
      (AWS_ENDPOINT_URL_EKS, AWS_ENDPOINT_URL) and called with the default credential chain.`;

export const TOKEN_USAGE = `rolecall token --cluster N --namespace NS --service-account SA [--audience A ...] [--pod-name P [--pod-uid U]] [--node-name X] [--expiration SECONDS]
      Print a projected service-account token of a Rolecall-issued cluster (Kubernetes' claims; expiration
      at least 600, default 3600; audience default: the issuer). Same server flags as rolecall cluster.`;
export const OPERATOR_USAGE = `rolecall operator [--namespace NS] [--drift-period 10m] [--identity ID] [--lease-namespace NS]
      [--lease-name rolecall-operator] [--lease-duration 15s] [--renew-deadline 10s] [--retry-period 2s] [--endpoint-url URL]
      Run the Kubernetes controller for AWSProvider, IAMRole and RoleBlueprint (leader-elected; docs/operator.md).
  rolecall operator crds
      Print the CustomResourceDefinitions the operator serves.`;
