/**
 * The double's storage and its Kubernetes semantics: one resourceVersion counter for everything, a
 * bounded history of changes for watches (older than that ⇒ 410 Expired), generation, the status
 * subresource, finalizers and deletionTimestamp, namespaces and their termination, CRDs that register
 * new types. Everything happens synchronously on one event loop, so writes are totally ordered.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound, type FieldError } from './api-errors.js';
import { jsonEqual } from './patches.js';
import { BUILT_IN_TYPES, apiVersionOf, crdSpecProblems, typeKey, typesOfCrd, type ResourceType } from './resource-types.js';
import { compileFieldSelector, compileSelector } from './selectors.js';
import { pruneAndValidate } from './structural-schema.js';

/** Object metadata as the API server maintains it. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** Any Kubernetes object. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One event on a watch stream. */
export interface WatchEvent {
  type: WatchEventType | 'ERROR' | 'BOOKMARK';
  object: unknown;
}

interface Change {
  resourceVersion: number;
  storage: string;
  type: WatchEventType;
  object: KubeObject;
  previous?: KubeObject;
}

/** What a watch asks for. */
export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
}

/** What a list asks for. */
export interface ListRequest {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** The write goes to the `/status` subresource. */
  status?: boolean;
}

interface Watcher {
  storage: string;
  deliver(change: Change): void;
}

const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Fields of every object the CRD schema neither prunes nor validates. */
const OBJECT_ENVELOPE = new Set(['apiVersion', 'kind', 'metadata']);
const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Seconds-precision RFC 3339, as metav1.Time serializes. */
function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Where objects of a type live: versions of one group/plural share storage. */
function storageOf(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** The object without the fields whose changes do not bump generation. */
function generationRelevant(object: KubeObject, statusIsSubresource: boolean): Record<string, unknown> {
  const { metadata: _metadata, status, ...rest } = object;
  return statusIsSubresource ? rest : { ...rest, status };
}

/** The object without the fields every write sets, to recognise a write that changes nothing. */
function withoutWriteStamps(object: KubeObject): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/**
 * What the API server does to a Secret on every write: `stringData` (write-only) is merged into
 * base64 `data` and dropped; `type` defaults to Opaque.
 */
function normalizeSecret(object: KubeObject): void {
  const stringData = object.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData === 'object') {
    const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
    for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    object.data = data;
  }
  delete object.stringData;
  object.type ??= 'Opaque';
}

/** The in-memory state of the double's API server. */
export class ObjectStore {
  private resourceVersion = 1000;
  private readonly types = new Map<string, ResourceType>();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: Change[] = [];
  /** Watches from a resourceVersion below this one get 410 Expired. */
  private oldestWatchable = 1000;
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly historyLimit = 10_000) {
    for (const type of BUILT_IN_TYPES) this.types.set(typeKey(type), type);
    const namespaces = this.typeFor('', 'v1', 'namespaces')!;
    for (const name of INITIAL_NAMESPACES) this.create(namespaces, undefined, { metadata: { name } });
  }

  /** The resourceVersion of the latest write. */
  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  /** The served type of group/version/plural, if any. */
  typeFor(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(`${group}/${version}/${plural}`);
  }

  /** Every served type (for discovery). */
  servedTypes(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Forgets the change history, so every watch from an earlier resourceVersion gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.oldestWatchable = this.resourceVersion;
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const storage = storageOf(type);
    let bucket = this.objects.get(storage);
    if (!bucket) this.objects.set(storage, (bucket = new Map()));
    return bucket;
  }

  /** The object as served at the type's version (a copy: callers may change it). */
  private view(type: ResourceType, object: KubeObject): KubeObject {
    return { ...structuredClone(object), apiVersion: apiVersionOf(type), kind: type.kind };
  }

  /** Reads one object. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.bucket(type).get(objectKey(namespace, name));
    if (!object) throw notFound(type, name);
    return this.view(type, object);
  }

  /** Lists objects (sorted by namespace and name), with selectors and limit/continue pagination. */
  list(request: ListRequest): { items: KubeObject[]; resourceVersion: string; continueToken?: string; remainingItemCount?: number } {
    const { type } = request;
    const labels = compileSelector(request.labelSelector);
    const fields = compileFieldSelector(request.fieldSelector);
    let after = '';
    if (request.continueToken) {
      const token = decodeContinue(request.continueToken);
      if (token.resourceVersion < this.oldestWatchable) {
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      after = token.after;
    }
    const matching = [...this.bucket(type).entries()]
      .filter(([key, object]) => key > after && (request.namespace === undefined || object.metadata.namespace === request.namespace))
      .filter(([, object]) => labels(object.metadata.labels ?? {}) && fields(object))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const page = request.limit && request.limit > 0 ? matching.slice(0, request.limit) : matching;
    const items = page.map(([, object]) => {
      const item = this.view(type, object);
      // Built-in list items carry no apiVersion/kind on the wire; custom resources' do.
      if (!type.custom) {
        delete item.apiVersion;
        delete item.kind;
      }
      return item;
    });
    const remaining = matching.length - page.length;
    if (remaining === 0) return { items, resourceVersion: this.currentResourceVersion() };
    return {
      items,
      resourceVersion: this.currentResourceVersion(),
      continueToken: encodeContinue({ resourceVersion: this.resourceVersion, after: page[page.length - 1]![0] }),
      remainingItemCount: remaining,
    };
  }

  /** Creates an object (generateName, uid, timestamps, generation; status dropped under a subresource). */
  create(type: ResourceType, namespace: string | undefined, body: KubeObject, options: WriteOptions = {}): KubeObject {
    if (typeof body !== 'object' || body === null || typeof body.metadata !== 'object' || body.metadata === null) {
      throw badRequest('Object has no metadata');
    }
    this.checkKind(type, body);
    if (type.namespaced) {
      if (body.metadata.namespace !== undefined && body.metadata.namespace !== '' && body.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      this.requireWritableNamespace(type, namespace!, body.metadata.name ?? body.metadata.generateName ?? '');
    }
    const metadata: ObjectMeta = { ...body.metadata };
    if (!metadata.name && metadata.generateName) metadata.name = metadata.generateName + randomSuffix();
    const name = metadata.name ?? '';
    this.validateName(type, name);
    const bucket = this.bucket(type);
    if (bucket.has(objectKey(namespace, name))) throw alreadyExists(type, name);
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    const object: KubeObject = {
      ...structuredClone(body),
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...structuredClone(metadata),
        ...(type.namespaced ? { namespace } : {}),
        uid: randomUUID(),
        creationTimestamp: nowTimestamp(),
        ...(type.tracksGeneration ? { generation: 1 } : {}),
      },
    };
    if (!type.namespaced) delete object.metadata.namespace;
    if (type.statusSubresource && type.custom) delete object.status;
    if (type.plural === 'secrets' && type.group === '') normalizeSecret(object);
    if (type.plural === 'namespaces' && type.group === '') {
      object.spec = { finalizers: ['kubernetes'] };
      object.status = { phase: 'Active' };
    }
    this.validateCustom(type, object);
    if (type.plural === 'customresourcedefinitions') this.admitCrd(object);
    if (options.dryRun) return this.view(type, { ...object, metadata: { ...object.metadata, resourceVersion: this.currentResourceVersion() } });
    this.commit(type, 'ADDED', object, undefined);
    if (type.plural === 'customresourcedefinitions') this.registerCrd(object);
    return this.view(type, object);
  }

  /** Replaces an object (PUT), honouring resourceVersion preconditions, status and finalizer rules. */
  update(type: ResourceType, namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions = {}): KubeObject {
    if (typeof body !== 'object' || body === null || typeof body.metadata !== 'object' || body.metadata === null) {
      throw badRequest('Object has no metadata');
    }
    this.checkKind(type, body);
    if (body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const current = this.bucket(type).get(objectKey(namespace, name));
    if (!current) {
      if (type.allowCreateOnUpdate && !options.status) return this.create(type, namespace, { ...body, metadata: { ...body.metadata, name } }, options);
      throw notFound(type, name);
    }
    const requested = body.metadata.resourceVersion;
    if (requested === undefined || requested === '') {
      if (type.custom) {
        throw invalid(type, name, [{ field: 'metadata.resourceVersion', type: 'FieldValueInvalid', text: 'Invalid value: 0x0: must be specified for an update' }]);
      }
    } else if (requested !== current.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    return this.replace(type, current, body, options);
  }

  /** Applies a patch function to the current object and writes the result as an update would. */
  patch(type: ResourceType, namespace: string | undefined, name: string, patched: (current: KubeObject) => KubeObject, options: WriteOptions = {}): KubeObject {
    const current = this.bucket(type).get(objectKey(namespace, name));
    if (!current) throw notFound(type, name);
    const result = patched(this.view(type, current));
    if (typeof result !== 'object' || result === null || typeof result.metadata !== 'object' || result.metadata === null) {
      throw badRequest('the patch left the object without metadata');
    }
    if (result.metadata.name !== name) throw badRequest(`the name of the object (${String(result.metadata.name)}) does not match the name on the URL (${name})`);
    // A resourceVersion in the patch is a precondition, as for an update.
    if (result.metadata.resourceVersion !== undefined && result.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    return this.replace(type, current, result, options);
  }

  private replace(type: ResourceType, current: KubeObject, body: KubeObject, options: WriteOptions): KubeObject {
    const name = current.metadata.name!;
    let next: KubeObject;
    if (options.status) {
      // The status subresource changes status only: everything else stays as stored.
      next = structuredClone(current);
      if ('status' in body) next.status = structuredClone(body.status);
      else delete next.status;
    } else {
      next = {
        ...structuredClone(body),
        apiVersion: current.apiVersion,
        kind: current.kind,
        metadata: {
          ...structuredClone(body.metadata),
          name,
          uid: current.metadata.uid,
          creationTimestamp: current.metadata.creationTimestamp,
        },
      };
      if (type.namespaced) next.metadata.namespace = current.metadata.namespace;
      else delete next.metadata.namespace;
      for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
        if (current.metadata[field] === undefined) delete next.metadata[field];
        else next.metadata[field] = current.metadata[field] as never;
      }
      if (type.statusSubresource) {
        if ('status' in current) next.status = structuredClone(current.status);
        else delete next.status;
      }
    }
    if (type.plural === 'secrets' && type.group === '') normalizeSecret(next);
    if (current.metadata.deletionTimestamp) {
      const added = (next.metadata.finalizers ?? []).filter((finalizer) => !(current.metadata.finalizers ?? []).includes(finalizer));
      if (added.length > 0) {
        throw invalid(type, name, [
          {
            field: 'metadata.finalizers',
            type: 'FieldValueForbidden',
            text: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          },
        ]);
      }
    }
    this.validateCustom(type, next);
    if (type.tracksGeneration && !jsonEqual(generationRelevant(current, type.statusSubresource), generationRelevant(next, type.statusSubresource))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    // A write that changes nothing is not a write: no new resourceVersion, no watch event.
    if (jsonEqual(withoutWriteStamps(next), withoutWriteStamps(current))) return this.view(type, current);
    if (options.dryRun) return this.view(type, next);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.remove(type, next);
      return this.view(type, next);
    }
    this.commit(type, 'MODIFIED', next, current);
    if (type.plural === 'customresourcedefinitions') this.registerCrd(next);
    return this.view(type, next);
  }

  /**
   * Deletes an object: with finalizers it only gets a deletionTimestamp (and is returned); without, it
   * is removed and a `Status` of success is returned.
   */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions & { preconditions?: { uid?: string; resourceVersion?: string } } = {},
  ): KubeObject | Record<string, unknown> {
    const current = this.bucket(type).get(objectKey(namespace, name));
    if (!current) throw notFound(type, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid !== undefined && uid !== current.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    const pending = (current.metadata.finalizers ?? []).length > 0 || (type.plural === 'namespaces' && type.group === '');
    if (pending) {
      if (current.metadata.deletionTimestamp) return this.view(type, current);
      const next = structuredClone(current);
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (type.plural === 'namespaces' && type.group === '') next.status = { phase: 'Terminating' };
      if (options.dryRun) return this.view(type, next);
      this.commit(type, 'MODIFIED', next, current);
      if (type.plural === 'namespaces' && type.group === '') this.terminateNamespace(name);
      return this.view(type, this.bucket(type).get(objectKey(namespace, name)) ?? next);
    }
    if (!options.dryRun) this.remove(type, current);
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: current.metadata.uid },
    };
  }

  /** Deletes every object of a list request (DELETE on a collection). */
  deleteCollection(request: ListRequest, options: WriteOptions = {}): KubeObject[] {
    const { items } = this.list({ ...request, limit: undefined, continueToken: undefined });
    for (const item of items) this.delete(request.type, item.metadata.namespace, item.metadata.name!, options);
    return items;
  }

  /**
   * Starts a watch: replays what the client has not seen (everything as ADDED when it names no
   * resourceVersion, the history after it otherwise), then streams live changes. Returns the stop function.
   */
  watch(request: WatchRequest, send: (event: WatchEvent) => void, end: () => void): () => void {
    const { type } = request;
    const labels = compileSelector(request.labelSelector);
    const fields = compileFieldSelector(request.fieldSelector);
    const selects = (object: KubeObject | undefined): boolean =>
      object !== undefined &&
      (request.namespace === undefined || object.metadata.namespace === request.namespace) &&
      labels(object.metadata.labels ?? {}) &&
      fields(object);
    const storage = storageOf(type);
    const deliver = (change: Change) => {
      const now = change.type !== 'DELETED' && selects(change.object);
      const before = change.type === 'ADDED' ? false : selects(change.previous ?? change.object);
      // An object leaving or entering the selection looks like a deletion or an addition to this watch.
      if (change.type === 'DELETED' ? before : now && before) send({ type: change.type, object: this.view(type, change.object) });
      else if (now) send({ type: 'ADDED', object: this.view(type, change.object) });
      else if (before) send({ type: 'DELETED', object: this.view(type, change.object) });
    };
    const from = request.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      for (const item of this.list({ type, namespace: request.namespace, labelSelector: request.labelSelector, fieldSelector: request.fieldSelector }).items) {
        send({ type: 'ADDED', object: this.view(type, item) });
      }
    } else {
      const since = Number(from);
      if (!Number.isInteger(since) || since < 0) throw badRequest(`invalid resource version: ${from}`);
      if (since < this.oldestWatchable) {
        send({
          type: 'ERROR',
          object: new ApiError(410, 'Expired', `too old resource version: ${since} (${this.oldestWatchable})`).toStatus(),
        });
        end();
        return () => undefined;
      }
      for (const change of this.history) if (change.resourceVersion > since && change.storage === storage) deliver(change);
    }
    const watcher: Watcher = { storage, deliver };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private commit(type: ResourceType, eventType: WatchEventType, object: KubeObject, previous: KubeObject | undefined): void {
    this.resourceVersion++;
    object.metadata.resourceVersion = String(this.resourceVersion);
    const bucket = this.bucket(type);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    if (eventType === 'DELETED') bucket.delete(key);
    else bucket.set(key, object);
    const change: Change = { resourceVersion: this.resourceVersion, storage: storageOf(type), type: eventType, object: structuredClone(object), previous };
    this.history.push(change);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.oldestWatchable = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const watcher of this.watchers) if (watcher.storage === change.storage) watcher.deliver(change);
  }

  private remove(type: ResourceType, object: KubeObject): void {
    const previous = this.bucket(type).get(objectKey(object.metadata.namespace, object.metadata.name!));
    this.commit(type, 'DELETED', structuredClone(object), previous);
    if (type.plural === 'customresourcedefinitions' && type.group === 'apiextensions.k8s.io') this.unregisterCrd(object);
    const namespace = object.metadata.namespace;
    if (namespace !== undefined) this.finishNamespaceIfEmpty(namespace);
  }

  private checkKind(type: ResourceType, body: KubeObject): void {
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw badRequest(`the kind of the object (${String(body.kind)}) does not match the kind of the resource (${type.kind})`);
    }
  }

  private validateName(type: ResourceType, name: string): void {
    if (name === '') throw invalid(type, name, [{ field: 'metadata.name', type: 'FieldValueRequired', text: 'Required value: name or generateName is required' }]);
    const label = type.plural === 'namespaces' && type.group === '';
    const valid = label ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
    if (!valid) {
      const what = label
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
      throw invalid(type, name, [{ field: 'metadata.name', type: 'FieldValueInvalid', text: `Invalid value: ${JSON.stringify(name)}: ${what}` }]);
    }
  }

  /** Prunes and validates a custom resource against its CRD schema (metadata, apiVersion, kind excepted). */
  private validateCustom(type: ResourceType, object: KubeObject): void {
    if (!type.custom || !type.schema) return;
    const content: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) if (!OBJECT_ENVELOPE.has(key)) content[key] = value;
    const schema = { ...type.schema, required: (type.schema.required ?? []).filter((key) => !OBJECT_ENVELOPE.has(key)) };
    const errors: FieldError[] = pruneAndValidate(content, schema, '');
    // Pruning changed nested values in place; top-level fields it dropped go from the object too.
    for (const key of Object.keys(object)) if (!OBJECT_ENVELOPE.has(key) && !(key in content)) delete object[key];
    if (errors.length > 0) throw invalid(type, object.metadata.name ?? '', errors);
  }

  private requireWritableNamespace(type: ResourceType, namespace: string, name: string): void {
    const namespaces = this.typeFor('', 'v1', 'namespaces')!;
    const record = this.bucket(namespaces).get(objectKey(undefined, namespace));
    if (!record) throw notFound(namespaces, namespace);
    if (record.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${type.group === '' ? type.plural : `${type.plural}.${type.group}`} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, kind: type.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] },
      );
    }
  }

  /** The namespace controller's work, done at once: delete everything in the namespace. */
  private terminateNamespace(namespace: string): void {
    for (const type of this.servedTypes()) {
      if (!type.namespaced) continue;
      for (const [key, object] of [...this.bucket(type).entries()]) {
        if (object.metadata.namespace === namespace && this.bucket(type).has(key)) this.delete(type, namespace, object.metadata.name!);
      }
    }
    this.finishNamespaceIfEmpty(namespace);
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    const namespaces = this.typeFor('', 'v1', 'namespaces')!;
    const record = this.bucket(namespaces).get(objectKey(undefined, namespace));
    if (!record?.metadata.deletionTimestamp) return;
    for (const bucket of this.objects.values()) for (const object of bucket.values()) if (object.metadata.namespace === namespace) return;
    this.commit(namespaces, 'DELETED', structuredClone(record), record);
  }

  private admitCrd(object: KubeObject): void {
    const problems = crdSpecProblems(object.metadata.name ?? '', object.spec);
    const crds = this.typeFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    if (problems.length > 0) throw invalid(crds, object.metadata.name ?? '', problems.map((p) => ({ ...p, type: 'FieldValueInvalid' as const })));
    const names = (object.spec as { names: Record<string, unknown> }).names;
    object.status = {
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: nowTimestamp() },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: nowTimestamp() },
      ],
      acceptedNames: names,
      storedVersions: ((object.spec as { versions: { name: string; storage?: boolean }[] }).versions.filter((v) => v.storage).map((v) => v.name)),
    };
  }

  private registerCrd(object: KubeObject): void {
    for (const [key, type] of this.types) if (type.custom && `${type.plural}.${type.group}` === object.metadata.name) this.types.delete(key);
    for (const type of typesOfCrd(object.spec as Parameters<typeof typesOfCrd>[0])) this.types.set(typeKey(type), type);
  }

  private unregisterCrd(object: KubeObject): void {
    const served = [...this.types.values()].filter((type) => type.custom && `${type.plural}.${type.group}` === object.metadata.name);
    const first = served[0];
    if (first) for (const stored of [...this.bucket(first).values()]) this.commit(first, 'DELETED', structuredClone(stored), stored);
    for (const type of served) this.types.delete(typeKey(type));
  }
}

function randomSuffix(): string {
  return [...randomBytes(5)].map((byte) => GENERATE_NAME_ALPHABET[byte % GENERATE_NAME_ALPHABET.length]).join('');
}

function encodeContinue(token: { resourceVersion: number; after: string }): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.resourceVersion, start: token.after })).toString('base64url');
}

function decodeContinue(text: string): { resourceVersion: number; after: string } {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { rv: unknown; start: unknown };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return { resourceVersion: parsed.rv, after: parsed.start };
  } catch {
    // fall through to the API server's answer for a malformed token
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
