/**
 * Whether a Pod Identity association covers a ServiceAccount, asked of Rolecall's EKS API
 * (ListPodIdentityAssociations, as any EKS client would) and cached briefly, so the webhook does not call
 * the API once per pod and `rolecall run` decides as the webhook does.
 */
import { EKSClient, ListPodIdentityAssociationsCommand } from '@aws-sdk/client-eks';
import type { PodIdentityLookup } from './admission-review.js';
import { sdkClientConfig, type RolecallEndpoint } from './rolecall-endpoint.js';

/** How long an answer is reused. A new association is effective within this time — AWS too documents "several seconds". */
const ANSWER_TTL_MS = 10_000;
/** An answer older than this is not used even when Rolecall cannot be reached. */
const STALE_LIMIT_MS = 15 * 60_000;
/** Bounds the cache; each entry is a namespace/name pair. */
const MAX_ENTRIES = 10_000;

interface Answer {
  covered: boolean;
  fetchedAt: number;
}

/** Pod Identity associations of one cluster, from the EKS API. */
export class ClusterPodIdentityAssociations implements PodIdentityLookup {
  private readonly client: EKSClient;
  private readonly answers = new Map<string, Answer>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly clusterName: string,
    eks: RolecallEndpoint,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new EKSClient({ ...sdkClientConfig(eks), maxAttempts: 2 });
  }

  async covers(namespace: string, serviceAccount: string): Promise<boolean> {
    const key = `${namespace}/${serviceAccount}`;
    const answer = this.answers.get(key);
    if (answer && this.now() - answer.fetchedAt < ANSWER_TTL_MS) return answer.covered;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(namespace, serviceAccount).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      // Rolecall briefly unreachable: the last answer still holds for a while.
      if (answer && this.now() - answer.fetchedAt < STALE_LIMIT_MS) return answer.covered;
      throw error;
    }
  }

  private async ask(namespace: string, serviceAccount: string): Promise<boolean> {
    const listed = await this.client.send(new ListPodIdentityAssociationsCommand({ clusterName: this.clusterName, namespace, serviceAccount, maxResults: 1 }));
    const covered = (listed.associations ?? []).some((association) => association.namespace === namespace && association.serviceAccount === serviceAccount);
    const key = `${namespace}/${serviceAccount}`;
    this.answers.delete(key);
    this.answers.set(key, { covered, fetchedAt: this.now() });
    if (this.answers.size > MAX_ENTRIES) this.answers.delete(this.answers.keys().next().value!);
    return covered;
  }

  /** Releases the HTTP client. */
  close(): void {
    this.client.destroy();
  }
}
