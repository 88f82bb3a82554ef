/** ServiceAccounts from the Kubernetes API through @kubernetes/client-node. */
import { CoreV1Api, KubeConfig, makeInformer, type Informer, type ObjectCache, type V1ServiceAccount } from '@kubernetes/client-node';
import { withDeadline } from './deadline.js';
import { isRecord, stringAnnotations, type ServiceAccountSource } from './service-accounts.js';

/** How long a direct read of a ServiceAccount may take before the pod is admitted without it. */
const DIRECT_READ_TIMEOUT_MS = 2000;

/**
 * ServiceAccounts from the Kubernetes API: a cluster-wide informer keeps a cache; a miss reads the object
 * directly, so a pod created right after its ServiceAccount (before the watch delivered it) is still
 * mutated — the Go webhook's #174.
 */
export class ClusterServiceAccounts implements ServiceAccountSource {
  private readonly api: CoreV1Api;
  private readonly informer: Informer<V1ServiceAccount> & ObjectCache<V1ServiceAccount>;
  private onAdded: (() => void) | undefined;

  private constructor(config: KubeConfig) {
    this.api = config.makeApiClient(CoreV1Api);
    this.informer = makeInformer(config, '/api/v1/serviceaccounts', () => this.api.listServiceAccountForAllNamespaces());
  }

  /** Starts the informer (resolves after the first list) with `config`, or the default kubeconfig / in-cluster config. */
  static async start(options: { config?: KubeConfig; onError?: (error: unknown) => void; onAdded?: () => void } = {}): Promise<ClusterServiceAccounts> {
    const config = options.config ?? defaultKubeConfig();
    const source = new ClusterServiceAccounts(config);
    source.onAdded = options.onAdded;
    source.informer.on('add', () => source.onAdded?.());
    // The informer reconnects by itself after errors; they are only reported.
    source.informer.on('error', (error) => {
      options.onError?.(error);
      setTimeout(() => source.informer.start().catch((restartError: unknown) => options.onError?.(restartError)), 1000).unref();
    });
    await source.informer.start();
    return source;
  }

  async annotations(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    const cached = this.informer.get(name, namespace);
    if (cached) return stringAnnotations(cached.metadata?.annotations);
    try {
      const read = await withDeadline(this.api.readNamespacedServiceAccount({ name, namespace }), DIRECT_READ_TIMEOUT_MS, 'reading the ServiceAccount');
      return stringAnnotations(read.metadata?.annotations);
    } catch (error) {
      if (isRecord(error) && error['code'] === 404) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.informer.stop();
  }
}

/** The kubeconfig of KUBECONFIG / ~/.kube/config, or the pod's own service account inside a cluster. */
export function defaultKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  return config;
}

