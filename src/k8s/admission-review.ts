/**
 * One AdmissionReview (admission.k8s.io/v1) in, one out: finds the pod's ServiceAccount and Pod Identity
 * association, runs the mutation and answers with a base64 JSONPatch (reference/irsa.md §1.6). The webhook
 * never blocks a pod on its own failure: a lookup that fails or hangs admits the pod unchanged, with a
 * warning logged.
 */
import { withDeadline } from './deadline.js';
import type { JsonObject } from './json-patch.js';
import { mutatePod, type MutationSettings, type RandomInteger } from './pod-mutation.js';
import type { ServiceAccountSource } from './service-accounts.js';
import type { WebhookMetrics } from './webhook-metrics.js';

/** Whether a Pod Identity association covers a namespace's ServiceAccount. */
export interface PodIdentityLookup {
  covers(namespace: string, serviceAccount: string): Promise<boolean>;
}

/** What the webhook needs to answer reviews. */
export interface AdmissionContext {
  settings: MutationSettings;
  serviceAccounts: ServiceAccountSource;
  podIdentity: PodIdentityLookup | undefined;
  metrics: WebhookMetrics;
  randomInteger: RandomInteger;
  /** Writes one line to the operator's log. */
  log: (line: string) => void;
  /** How long the lookups of one review may take before the pod is admitted unchanged. */
  lookupTimeoutMs: number;
}

const DEFAULT_API_VERSION = 'admission.k8s.io/v1';
const DEFAULT_KIND = 'AdmissionReview';

/** The AdmissionReview answering `body` (already parsed JSON). */
export async function reviewAdmission(body: unknown, context: AdmissionContext): Promise<JsonObject> {
  const request = isObject(body) && isObject(body['request']) ? body['request'] : undefined;
  if (!isObject(body) || !request) {
    // Not a review at all: the Go webhook answers with a denial carrying the decoding error.
    return { apiVersion: DEFAULT_API_VERSION, kind: DEFAULT_KIND, response: { uid: '', allowed: false, status: { message: 'couldn\'t get AdmissionReview request from body' } } };
  }
  // Non-EKS API servers reject a response without the request's TypeMeta (webhook #225, #304).
  const envelope = {
    apiVersion: typeof body['apiVersion'] === 'string' ? body['apiVersion'] : DEFAULT_API_VERSION,
    kind: typeof body['kind'] === 'string' ? body['kind'] : DEFAULT_KIND,
  };
  const uid = typeof request['uid'] === 'string' ? request['uid'] : '';
  const admitUnchanged = { ...envelope, response: { uid, allowed: true } };
  const pod = request['object'];
  if (!isObject(pod)) return admitUnchanged;

  const namespace = typeof request['namespace'] === 'string' && request['namespace'] !== '' ? request['namespace'] : 'default';
  const spec = isObject(pod['spec']) ? pod['spec'] : {};
  // The ServiceAccount admission plugin has defaulted the name before mutating webhooks run.
  const serviceAccount = typeof spec['serviceAccountName'] === 'string' && spec['serviceAccountName'] !== '' ? spec['serviceAccountName'] : 'default';
  try {
    const [annotations, podIdentity] = await withDeadline(
      Promise.all([context.serviceAccounts.annotations(namespace, serviceAccount), context.podIdentity?.covers(namespace, serviceAccount) ?? false]),
      context.lookupTimeoutMs,
      'the ServiceAccount and association lookups',
    );
    if (annotations === undefined && !podIdentity) {
      context.metrics.countMissingServiceAccount();
      return admitUnchanged;
    }
    const mutation = mutatePod({ pod, namespace, serviceAccountAnnotations: annotations, podIdentity }, context.settings, context.randomInteger);
    if (!mutation) return admitUnchanged;
    for (const warning of mutation.warnings) context.log(`warning: ${namespace}/${serviceAccount}: ${warning}`);
    context.metrics.countPod(mutation.method);
    const patch = Buffer.from(JSON.stringify(mutation.patch)).toString('base64');
    return { ...envelope, response: { uid, allowed: true, patchType: 'JSONPatch', patch } };
  } catch (error) {
    context.log(`warning: admitting pod of ${namespace}/${serviceAccount} unchanged: ${error instanceof Error ? error.message : String(error)}`);
    return admitUnchanged;
  }
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
