/**
 * Kubernetes RBAC, as far as the operator's manifests need it: the verb and resource of a REST
 * request, and whether a ClusterRole (everywhere) or a Role (its namespace) grants it.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ServedRequest } from '../../k8s-api/api-server.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

interface Grant {
  namespace?: string;
  rules: Rule[];
}

/** The verb, API group, resource (with /subresource) and namespace of a request. */
export function requestAttributes(request: ServedRequest): { verb: string; group: string; resource: string; namespace?: string } {
  const segments = request.path.split('/').filter((segment) => segment !== '');
  const [group, rest] = segments[0] === 'api' ? ['', segments.slice(2)] : [segments[1]!, segments.slice(3)];
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural, name, subresource] = parts as [string, string | undefined, string | undefined];
  const verb =
    request.method === 'GET'
      ? name !== undefined
        ? 'get'
        : request.query.watch === 'true' || request.query.watch === '1'
          ? 'watch'
          : 'list'
      : ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name === undefined ? 'deletecollection' : 'delete' } as Record<string, string>)[request.method]!;
  return { verb, group, resource: subresource ? `${plural}/${subresource}` : plural, ...(namespace ? { namespace } : {}) };
}

/** The grants of a manifest file's ClusterRoles and Roles. */
export function grantsOf(path: string): Grant[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as { kind?: string; metadata?: { namespace?: string }; rules?: Rule[] })
    .filter((object) => object.kind === 'ClusterRole' || object.kind === 'Role')
    .map((object) => ({ ...(object.kind === 'Role' ? { namespace: object.metadata?.namespace ?? 'default' } : {}), rules: object.rules ?? [] }));
}

/** Whether any grant allows the request (a Role only within its namespace). */
export function allowed(grants: readonly Grant[], request: ServedRequest): boolean {
  const { verb, group, resource, namespace } = requestAttributes(request);
  return grants.some(
    (grant) =>
      (grant.namespace === undefined || grant.namespace === namespace) &&
      grant.rules.some((rule) => rule.apiGroups.includes(group) && rule.resources.includes(resource) && rule.verbs.includes(verb)),
  );
}
