/**
 * `--watch-config-map`: the ConfigMap `pod-identity-webhook` of the webhook's namespace, watched through
 * @kubernetes/client-node (irsa.md §1.8). Its entries replace the previous ones on every change; text
 * that does not parse keeps the previous entries and is reported. Unlike the Go webhook, which ignores the
 * ConfigMap's deletion and keeps granting its roles, a deleted ConfigMap clears them.
 */
import { CoreV1Api, KubeConfig, ListWatch, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { defaultKubeConfig } from './cluster-service-accounts.js';
import { parseRoleMappings, ROLE_MAPPINGS_CONFIG_MAP, ROLE_MAPPINGS_KEY, type RoleMapping, type RoleMappingSource } from './role-mappings.js';

export class ClusterRoleMappings implements RoleMappingSource {
  private entries: ReadonlyMap<string, RoleMapping> = new Map();
  private readonly informer: ListWatch<V1ConfigMap>;

  private constructor(
    config: KubeConfig,
    namespace: string,
    private readonly report: (message: string) => void,
  ) {
    const api = config.makeApiClient(CoreV1Api);
    // Only the one ConfigMap is listed and watched (a field selector on its name), so the webhook holds no
    // other ConfigMap of its namespace and its RBAC rule can name that ConfigMap alone (resourceNames).
    const fieldSelector = `metadata.name=${ROLE_MAPPINGS_CONFIG_MAP}`;
    const list = () => api.listNamespacedConfigMap({ namespace, fieldSelector });
    this.informer = new ListWatch(`/api/v1/namespaces/${namespace}/configmaps`, new Watch(config), list, false, undefined, fieldSelector);
  }

  /** Starts the watch (resolves after the first list) with `config`, or the default kubeconfig / in-cluster config. */
  static async start(options: { namespace: string; config?: KubeConfig; onError?: (message: string) => void }): Promise<ClusterRoleMappings> {
    const config = options.config ?? defaultKubeConfig();
    const report = options.onError ?? (() => {});
    const source = new ClusterRoleMappings(config, options.namespace, report);
    const isOurs = (object: V1ConfigMap) => object.metadata?.name === ROLE_MAPPINGS_CONFIG_MAP;
    source.informer.on('add', (object) => isOurs(object) && source.load(object));
    source.informer.on('update', (object) => isOurs(object) && source.load(object));
    source.informer.on('delete', (object) => {
      if (isOurs(object)) source.entries = new Map();
    });
    // The informer reconnects by itself after errors; they are only reported.
    source.informer.on('error', (error) => {
      report(`ConfigMap watch: ${error instanceof Error ? error.message : String(error)}`);
      setTimeout(() => source.informer.start().catch((restartError: unknown) => report(String(restartError))), 1000).unref();
    });
    await source.informer.start();
    return source;
  }

  current(): ReadonlyMap<string, RoleMapping> {
    return this.entries;
  }

  async close(): Promise<void> {
    await this.informer.stop();
  }

  private load(configMap: V1ConfigMap): void {
    const text = configMap.data?.[ROLE_MAPPINGS_KEY];
    if (text === undefined) {
      this.entries = new Map();
      return;
    }
    try {
      this.entries = parseRoleMappings(text);
    } catch (error) {
      this.report(`ConfigMap ${ROLE_MAPPINGS_CONFIG_MAP}: keeping the previous entries: ${(error as Error).message}`);
    }
  }
}
