/**
 * Where the webhook and `rolecall run` find a ServiceAccount's annotations: ServiceAccount manifests here;
 * the Kubernetes API in cluster-service-accounts.ts (loaded only when a cluster is used).
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/** Looks up ServiceAccounts by namespace and name. */
export interface ServiceAccountSource {
  /** The ServiceAccount's annotations (an empty record when it has none), or undefined when it does not exist. */
  annotations(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Stops any background work (watches). */
  close(): Promise<void>;
}

/** ServiceAccounts declared in multi-document YAML (ServiceAccount objects, or `kind: List` of them). */
export class ManifestServiceAccounts implements ServiceAccountSource {
  private constructor(private readonly byKey: ReadonlyMap<string, Record<string, string>>) {}

  /** Reads every ServiceAccount in the YAML file at `path`; other kinds are ignored. */
  static async load(path: string): Promise<ManifestServiceAccounts> {
    return ManifestServiceAccounts.parse(await readFile(path, 'utf8'), path);
  }

  /** Parses ServiceAccounts from YAML text; `origin` names it in errors. */
  static parse(text: string, origin: string): ManifestServiceAccounts {
    const byKey = new Map<string, Record<string, string>>();
    const add = (object: unknown) => {
      if (!isRecord(object)) return;
      if (object['kind'] === 'List' && Array.isArray(object['items'])) return object['items'].forEach(add);
      if (object['kind'] !== 'ServiceAccount') return;
      const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
      const name = metadata['name'];
      if (typeof name !== 'string' || name === '') throw new Error(`${origin}: a ServiceAccount without metadata.name`);
      const namespace = typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : 'default';
      byKey.set(`${namespace}/${name}`, stringAnnotations(metadata['annotations']));
    };
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) throw new Error(`${origin}: ${document.errors[0]!.message}`);
      add(document.toJS());
    }
    return new ManifestServiceAccounts(byKey);
  }

  async annotations(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return this.byKey.get(`${namespace}/${name}`);
  }

  async close(): Promise<void> {}
}

/** The string-valued entries of an annotations object. */
export function stringAnnotations(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
