// The webhook's mutation (reference/irsa.md §1, reference/pod-identity.md §4) fed the pods of real
// AdmissionReview documents; every returned patch is applied to the pod and the resulting pod checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, type JsonObject, type JsonValue } from '../../src/k8s/json-patch.js';
import { DEFAULT_MUTATION_SETTINGS, mutatePod, parseGoInt64, parseSkipContainers, type MutationSettings, type PodMutation } from '../../src/k8s/pod-mutation.js';
import { appPod, podCreateReview } from './admission-reviews.js';

const ROLE = 'arn:aws:iam::111122223333:role/sa_app';
const IRSA_SA = { 'eks.amazonaws.com/role-arn': ROLE };
const TOKEN_FILE = '/var/run/secrets/eks.amazonaws.com/serviceaccount/token';
const noRandom = () => assert.fail('no jitter expected');

interface Admitted {
  mutation: PodMutation;
  pod: JsonObject;
}

/** Runs the mutation on the pod of an AdmissionReview and applies the patch to it. */
function admit(
  pod: JsonObject,
  options: { sa?: Record<string, string>; podIdentity?: boolean; settings?: Partial<MutationSettings>; random?: (min: number, max: number) => number } = {},
): Admitted | undefined {
  const review = podCreateReview(pod);
  const request = review['request'] as JsonObject;
  const mutation = mutatePod(
    { pod: request['object'] as JsonObject, namespace: request['namespace'] as string, serviceAccountAnnotations: options.sa, podIdentity: options.podIdentity ?? false },
    { ...DEFAULT_MUTATION_SETTINGS, ...options.settings },
    options.random ?? noRandom,
  );
  if (!mutation) return undefined;
  // The patch crosses the wire as JSON: it must survive serialisation unchanged.
  const patch = JSON.parse(JSON.stringify(mutation.patch));
  return { mutation, pod: applyJsonPatch(request['object'] as JsonObject, patch) as JsonObject };
}

function spec(pod: JsonObject): JsonObject {
  return pod['spec'] as JsonObject;
}
function container(pod: JsonObject, index = 0, list = 'containers'): JsonObject {
  return (spec(pod)[list] as JsonObject[])[index]!;
}
function envOf(c: JsonObject): Array<[string, JsonValue]> {
  return ((c['env'] as JsonObject[] | undefined) ?? []).map((e) => [e['name'] as string, e['value'] ?? null]);
}
function volume(pod: JsonObject, name: string): JsonObject | undefined {
  return (spec(pod)['volumes'] as JsonObject[]).find((v) => v['name'] === name);
}
function mount(c: JsonObject, name: string): JsonObject | undefined {
  return ((c['volumeMounts'] as JsonObject[] | undefined) ?? []).find((m) => m['name'] === name);
}

test('irsa.md §1.4/§1.6: a ServiceAccount with role-arn gets the aws-iam-token volume first, the two variables and a read-only mount', () => {
  const admitted = admit(appPod(), { sa: IRSA_SA })!;
  assert.equal(admitted.mutation.method, 'sts_web_identity');
  assert.deepEqual(admitted.mutation.warnings, []);
  assert.deepEqual(
    admitted.mutation.patch.map((op) => `${op.op} ${op.path}`),
    ['add /spec/volumes/0', 'add /spec/containers'],
  );
  assert.deepEqual(spec(admitted.pod)['volumes'] && (spec(admitted.pod)['volumes'] as JsonObject[])[0], {
    name: 'aws-iam-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'token' } }] },
  });
  assert.ok(volume(admitted.pod, 'kube-api-access-8x2lq'), 'existing volumes are kept');
  const app = container(admitted.pod);
  assert.deepEqual(envOf(app), [
    ['AWS_ROLE_ARN', ROLE],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', TOKEN_FILE],
  ]);
  assert.deepEqual(mount(app, 'aws-iam-token'), { name: 'aws-iam-token', readOnly: true, mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount' });
  assert.ok(mount(app, 'kube-api-access-8x2lq'));
  assert.equal(app['terminationMessagePath'], '/dev/termination-log');
});

test('irsa.md §1.6: a pod without volumes gets /spec/volumes created', () => {
  const pod = appPod();
  delete spec(pod)['volumes'];
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.equal(admitted.mutation.patch[0]!.path, '/spec/volumes');
  assert.deepEqual((spec(admitted.pod)['volumes'] as JsonObject[]).map((v) => v['name']), ['aws-iam-token']);
});

test('irsa.md §1.6 (webhook #84, #208): fields the webhook does not model survive — startupProbe, sidecar restartPolicy, future fields', () => {
  const pod = appPod({
    spec: {
      serviceAccountName: 'app',
      initContainers: [
        { name: 'migrate', image: 'migrate:1', command: ['migrate'] },
        { name: 'log-shipper', image: 'fluent-bit:3', restartPolicy: 'Always', startupProbe: { httpGet: { path: '/ready', port: 2020 } }, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] },
      ],
      containers: [
        { name: 'app', image: 'app:1', startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 }, futureField: { nested: [1, 2, 3] } },
      ],
      hostUsers: false,
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }],
    },
  });
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.deepEqual(
    admitted.mutation.patch.map((op) => `${op.op} ${op.path}`),
    ['add /spec/volumes/0', 'add /spec/containers', 'add /spec/initContainers'],
  );
  const app = container(admitted.pod);
  assert.deepEqual(app['startupProbe'], { exec: { command: ['true'] }, failureThreshold: 30 });
  assert.deepEqual(app['futureField'], { nested: [1, 2, 3] });
  assert.equal(app['resources'], undefined, 'no "resources":{} is invented');
  const sidecar = container(admitted.pod, 1, 'initContainers');
  assert.equal(sidecar['restartPolicy'], 'Always');
  assert.deepEqual(sidecar['startupProbe'], { httpGet: { path: '/ready', port: 2020 } });
  assert.deepEqual(sidecar['resizePolicy'], [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }]);
  // irsa.md §1.5: every init container, native sidecars included, gets the variables and the mount.
  for (const c of [container(admitted.pod, 0, 'initContainers'), sidecar, app]) {
    assert.deepEqual(envOf(c).map(([name]) => name), ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'], String(c['name']));
    assert.ok(mount(c, 'aws-iam-token'));
  }
  assert.equal(spec(admitted.pod)['hostUsers'], false);
  assert.deepEqual(spec(admitted.pod)['resourceClaims'], [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }]);
});

test('irsa.md §1.5: ephemeral containers are not touched', () => {
  const pod = appPod();
  spec(pod)['ephemeralContainers'] = [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }];
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.ok(!admitted.mutation.patch.some((op) => op.path.startsWith('/spec/ephemeralContainers')));
  assert.deepEqual(spec(admitted.pod)['ephemeralContainers'], [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }]);
});

test('irsa.md §1.5: a user-set AWS_ROLE_ARN alone blocks both identity variables; the mount is still added', () => {
  const pod = appPod();
  container(pod)['env'] = [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/mine' }, { name: 'LOG_LEVEL', value: 'debug' }];
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.deepEqual(envOf(container(admitted.pod)), [
    ['AWS_ROLE_ARN', 'arn:aws:iam::111122223333:role/mine'],
    ['LOG_LEVEL', 'debug'],
  ]);
  assert.ok(mount(container(admitted.pod), 'aws-iam-token'));
});

test('irsa.md §1.5: an existing AWS_WEB_IDENTITY_TOKEN_FILE from valueFrom also blocks both', () => {
  const pod = appPod();
  container(pod)['env'] = [{ name: 'AWS_WEB_IDENTITY_TOKEN_FILE', valueFrom: { configMapKeyRef: { name: 'aws', key: 'token-file' } } }];
  const admitted = admit(pod, { sa: IRSA_SA, settings: { awsDefaultRegion: 'eu-west-1' } })!;
  assert.deepEqual(envOf(container(admitted.pod)), [
    ['AWS_WEB_IDENTITY_TOKEN_FILE', null],
    ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ['AWS_REGION', 'eu-west-1'],
  ]);
});

test('irsa.md §1.5 (rawPodHasAll): identity, region and regional-STS variables all present ⇒ no mount either, the pod volume still added', () => {
  const pod = appPod();
  const env = [
    { name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/mine' },
    { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/token' },
    { name: 'AWS_REGION', value: 'us-west-2' },
    { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'legacy' },
  ];
  container(pod)['env'] = env;
  const admitted = admit(pod, { sa: IRSA_SA, settings: { stsRegionalEndpoint: true, awsDefaultRegion: 'eu-west-1' } })!;
  assert.deepEqual(container(admitted.pod), container(pod), 'the container is unchanged');
  assert.ok(volume(admitted.pod, 'aws-iam-token'));
});

test('irsa.md §1.5 (rawPodWithConflictingVolumeMount): a same-name mount keeps its path while the variable names the webhook path', () => {
  const pod = appPod();
  container(pod)['volumeMounts'] = [{ name: 'aws-iam-token', readOnly: true, mountPath: '/custom/token/dir' }];
  const admitted = admit(pod, { sa: IRSA_SA })!;
  const app = container(admitted.pod);
  assert.deepEqual(app['volumeMounts'], [{ name: 'aws-iam-token', readOnly: true, mountPath: '/custom/token/dir' }]);
  assert.deepEqual(envOf(app)[1], ['AWS_WEB_IDENTITY_TOKEN_FILE', TOKEN_FILE]);
});

test('irsa.md §1.5: an existing pod volume named aws-iam-token (hostPath) is kept and no volume is added', () => {
  const pod = appPod();
  (spec(pod)['volumes'] as JsonObject[]).push({ name: 'aws-iam-token', hostPath: { path: '/var/aws' } });
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.deepEqual(admitted.mutation.patch.map((op) => op.path), ['/spec/containers']);
  assert.deepEqual(volume(admitted.pod, 'aws-iam-token'), { name: 'aws-iam-token', hostPath: { path: '/var/aws' } });
});

test('irsa.md §1.2: skip-containers names init and regular containers, one CSV record, not trimmed', () => {
  const pod = appPod({ metadata: { annotations: { 'eks.amazonaws.com/skip-containers': 'migrate,sidecar' } } });
  spec(pod)['initContainers'] = [{ name: 'migrate', image: 'm' }, { name: 'init-db', image: 'i' }];
  (spec(pod)['containers'] as JsonObject[]).push({ name: 'sidecar', image: 's' });
  const admitted = admit(pod, { sa: IRSA_SA })!;
  assert.deepEqual(container(admitted.pod, 0, 'initContainers'), { name: 'migrate', image: 'm' });
  assert.ok(mount(container(admitted.pod, 1, 'initContainers'), 'aws-iam-token'));
  assert.deepEqual(container(admitted.pod, 1), { name: 'sidecar', image: 's' });
  assert.ok(mount(container(admitted.pod, 0), 'aws-iam-token'));

  assert.deepEqual([...parseSkipContainers('a, b')], ['a', ' b'], 'names are not trimmed');
  assert.deepEqual([...parseSkipContainers('"a,b",c')], ['a,b', 'c'], 'quoted fields');
  assert.deepEqual([...parseSkipContainers('a"b,c')], [], 'a bare quote is a parse error: skip none');
  assert.deepEqual([...parseSkipContainers('"a,b')], [], 'an unterminated quote is a parse error');
  assert.deepEqual([...parseSkipContainers('a,b\nc')], ['a', 'b'], 'only the first record');
  assert.deepEqual([...parseSkipContainers('')], [], 'empty: skip none');
});

test('irsa.md §1.5 (webhook #57): a Windows nodeSelector turns the variable into C:\\ form; the mountPath stays Unix-style', () => {
  for (const key of ['kubernetes.io/os', 'beta.kubernetes.io/os']) {
    const admitted = admit(appPod({ spec: { serviceAccountName: 'app', nodeSelector: { [key]: 'windows' }, containers: [{ name: 'app', image: 'win' }] } }), { sa: IRSA_SA })!;
    const app = container(admitted.pod);
    assert.deepEqual(envOf(app)[1], ['AWS_WEB_IDENTITY_TOKEN_FILE', 'C:\\var\\run\\secrets\\eks.amazonaws.com\\serviceaccount\\token']);
    assert.equal(mount(app, 'aws-iam-token')!['mountPath'], '/var/run/secrets/eks.amazonaws.com/serviceaccount');
  }
  const linux = admit(appPod({ spec: { serviceAccountName: 'app', nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'app', image: 'l' }] } }), { sa: IRSA_SA })!;
  assert.equal(envOf(container(linux.pod))[1]![1], TOKEN_FILE);
});

test('irsa.md §1.2: the skip label (any value) means no mutation; no role-arn or an empty one means no mutation', () => {
  const skipped = appPod({ metadata: { labels: { 'eks.amazonaws.com/skip-pod-identity-webhook': '' } } });
  assert.equal(admit(skipped, { sa: IRSA_SA }), undefined);
  assert.equal(admit(skipped, { sa: IRSA_SA, podIdentity: true }), undefined);
  assert.equal(admit(appPod(), { sa: {} }), undefined);
  assert.equal(admit(appPod(), { sa: undefined }), undefined);
  assert.equal(admit(appPod(), { sa: { 'eks.amazonaws.com/role-arn': '' } }), undefined);
  assert.equal(admit(appPod(), { sa: { 'eks.amazonaws.com/audience': 'x' } }), undefined);
});

test('irsa.md §1.3: token expiration — pod annotation > ServiceAccount annotation > flag; below 600 raised to 600; invalid ignored', () => {
  const expirationOf = (podValue: string | undefined, saValue: string | undefined, flag = 86400) => {
    const pod = appPod(podValue === undefined ? {} : { metadata: { annotations: { 'eks.amazonaws.com/token-expiration': podValue } } });
    const sa: Record<string, string> = { ...IRSA_SA };
    if (saValue !== undefined) sa['eks.amazonaws.com/token-expiration'] = saValue;
    const admitted = admit(pod, { sa, settings: { tokenExpiration: flag } })!;
    const source = ((volume(admitted.pod, 'aws-iam-token')!['projected'] as JsonObject)['sources'] as JsonObject[])[0]!;
    return (source['serviceAccountToken'] as JsonObject)['expirationSeconds'];
  };
  assert.equal(expirationOf(undefined, undefined), 86400, 'flag default, no jitter in IRSA mode');
  assert.equal(expirationOf(undefined, '7200'), 7200);
  assert.equal(expirationOf('3600', '7200'), 3600);
  assert.equal(expirationOf('not-a-number', '7200'), 7200);
  assert.equal(expirationOf('1e4', undefined), 86400, 'base-10 integers only');
  assert.equal(expirationOf('+1200', undefined), 1200, 'ParseInt accepts a sign');
  assert.equal(expirationOf('60', undefined), 600);
  assert.equal(expirationOf('-5', '7200'), 600);
  assert.equal(expirationOf(undefined, undefined, 100), 600, 'the flag is raised too');
  assert.equal(expirationOf('99999999', undefined), 99999999, 'no upper clamp');
  assert.equal(parseGoInt64('9223372036854775808'), undefined, 'int64 overflow fails to parse');
});

test('irsa.md §1.2/§1.3: audience and regional-STS annotations override the flags (both ways); region flag injects both variables in order', () => {
  const admitted = admit(appPod(), {
    sa: { ...IRSA_SA, 'eks.amazonaws.com/audience': 'rolecall', 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
    settings: { awsDefaultRegion: 'eu-central-1' },
  })!;
  assert.deepEqual(envOf(container(admitted.pod)), [
    ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'],
    ['AWS_DEFAULT_REGION', 'eu-central-1'],
    ['AWS_REGION', 'eu-central-1'],
    ['AWS_ROLE_ARN', ROLE],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', TOKEN_FILE],
  ]);
  const source = ((volume(admitted.pod, 'aws-iam-token')!['projected'] as JsonObject)['sources'] as JsonObject[])[0]!;
  assert.equal((source['serviceAccountToken'] as JsonObject)['audience'], 'rolecall');

  const off = admit(appPod(), { sa: { ...IRSA_SA, 'eks.amazonaws.com/sts-regional-endpoints': 'F' }, settings: { stsRegionalEndpoint: true } })!;
  assert.ok(!envOf(container(off.pod)).some(([name]) => name === 'AWS_STS_REGIONAL_ENDPOINTS'));
  const invalid = admit(appPod(), { sa: { ...IRSA_SA, 'eks.amazonaws.com/sts-regional-endpoints': 'yes' }, settings: { stsRegionalEndpoint: true } })!;
  assert.deepEqual(envOf(container(invalid.pod))[0], ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'], 'an invalid value falls back to the flag');

  const pod = appPod();
  container(pod)['env'] = [{ name: 'AWS_DEFAULT_REGION', value: 'ap-south-1' }];
  const regionSet = admit(pod, { sa: IRSA_SA, settings: { awsDefaultRegion: 'eu-central-1' } })!;
  assert.deepEqual(envOf(container(regionSet.pod)).map(([name]) => name), ['AWS_DEFAULT_REGION', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'], 'either region variable blocks both');
});

test('IRSA audience is sts.amazonaws.com in every partition: the token of an aws-cn or aws-us-gov role is projected for it (eksctl#1910, terraform-aws-eks#1704)', () => {
  const projectedAudience = (pod: JsonObject) =>
    ((((volume(pod, 'aws-iam-token')!['projected'] as JsonObject)['sources'] as JsonObject[])[0]!['serviceAccountToken'] as JsonObject)['audience']);
  for (const [partition, region] of [['aws-cn', 'cn-north-1'], ['aws-cn', 'cn-northwest-1'], ['aws-us-gov', 'us-gov-west-1']] as const) {
    const role = `arn:${partition}:iam::111122223333:role/sa_app`;
    const admitted = admit(appPod(), { sa: { 'eks.amazonaws.com/role-arn': role }, settings: { awsDefaultRegion: region } })!;
    assert.equal(projectedAudience(admitted.pod), 'sts.amazonaws.com', region);
    assert.deepEqual(admitted.mutation.warnings, [], 'an aws-cn / aws-us-gov role ARN matches the webhook pattern');
  }
  // Only the ServiceAccount annotation changes it, in any partition.
  const annotated = admit(appPod(), { sa: { 'eks.amazonaws.com/role-arn': 'arn:aws-cn:iam::111122223333:role/sa_app', 'eks.amazonaws.com/audience': 'sts.amazonaws.com.cn' } })!;
  assert.equal(projectedAudience(annotated.pod), 'sts.amazonaws.com.cn');
});

test('irsa.md §1.1: --annotation-prefix and --token-mount-path rename every annotation and the mount', () => {
  const admitted = admit(appPod({ metadata: { annotations: { 'iam.example.com/token-expiration': '1200' } } }), {
    sa: { 'iam.example.com/role-arn': ROLE },
    settings: { annotationPrefix: 'iam.example.com', tokenMountPath: '/aws' },
  })!;
  assert.deepEqual(envOf(container(admitted.pod))[1], ['AWS_WEB_IDENTITY_TOKEN_FILE', '/aws/token']);
  assert.equal(mount(container(admitted.pod), 'aws-iam-token')!['mountPath'], '/aws');
  assert.equal(admit(appPod(), { sa: IRSA_SA, settings: { annotationPrefix: 'iam.example.com' } }), undefined);
});

test('Rolecall addition: --aws-endpoint-url injects AWS_ENDPOINT_URL before the identity variables unless the container sets one', () => {
  const admitted = admit(appPod(), { sa: IRSA_SA, settings: { awsEndpointUrl: 'http://rolecall.rolecall.svc:8470' } })!;
  assert.deepEqual(envOf(container(admitted.pod)).map(([name]) => name), ['AWS_ENDPOINT_URL', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']);
  const pod = appPod();
  container(pod)['env'] = [{ name: 'AWS_ENDPOINT_URL', value: 'http://mine' }];
  const kept = admit(pod, { sa: IRSA_SA, podIdentity: true, settings: { awsEndpointUrl: 'http://rolecall' }, random: (min) => min })!;
  assert.deepEqual(envOf(container(kept.pod)), [['AWS_ENDPOINT_URL', 'http://mine'], ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials'], ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token']]);
  assert.equal(admit(appPod(), { sa: IRSA_SA })!.mutation.patch.length, 2, 'off by default');
});

test('irsa.md §1.2: a role ARN that does not match the pattern is still used, with a warning', () => {
  const admitted = admit(appPod(), { sa: { 'eks.amazonaws.com/role-arn': 'sa_app' } })!;
  assert.equal(envOf(container(admitted.pod))[0]![1], 'sa_app');
  assert.equal(admitted.mutation.warnings.length, 1);
});

test('pod-identity.md §4 / irsa.md §1.9: Pod Identity mode — label, eks-pod-identity-token volume, FULL_URI and TOKEN_FILE, beats IRSA', () => {
  const admitted = admit(appPod(), { sa: IRSA_SA, podIdentity: true, settings: { stsRegionalEndpoint: true }, random: (min, max) => (assert.deepEqual([min, max], [79200, 86400]), 80001) })!;
  assert.equal(admitted.mutation.method, 'container_credentials');
  assert.deepEqual(
    admitted.mutation.patch.map((op) => `${op.op} ${op.path}`),
    ['add /metadata/labels/eks.amazonaws.com~1pod-identity', 'add /spec/volumes/0', 'add /spec/containers'],
  );
  assert.deepEqual(admitted.pod['metadata'] && (admitted.pod['metadata'] as JsonObject)['labels'], { app: 'app', 'pod-template-hash': '7c9f8d6b5', 'eks.amazonaws.com/pod-identity': 'enabled' });
  assert.deepEqual(volume(admitted.pod, 'eks-pod-identity-token'), {
    name: 'eks-pod-identity-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: 80001, path: 'eks-pod-identity-token' } }] },
  });
  assert.equal(volume(admitted.pod, 'aws-iam-token'), undefined);
  const app = container(admitted.pod);
  assert.deepEqual(envOf(app), [
    ['AWS_STS_REGIONAL_ENDPOINTS', 'regional'],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://169.254.170.23/v1/credentials'],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token'],
  ]);
  assert.deepEqual(mount(app, 'eks-pod-identity-token'), { name: 'eks-pod-identity-token', readOnly: true, mountPath: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount' });
});

test('pod-identity.md §4: a pod without labels gets /metadata/labels; no role-arn is needed; an explicit expiration is not jittered', () => {
  const pod = appPod({ metadata: { annotations: { 'eks.amazonaws.com/token-expiration': '3600' } } });
  delete (pod['metadata'] as JsonObject)['labels'];
  const admitted = admit(pod, { sa: undefined, podIdentity: true })!;
  assert.deepEqual(admitted.mutation.patch[0], { op: 'add', path: '/metadata/labels', value: { 'eks.amazonaws.com/pod-identity': 'enabled' } });
  const source = ((volume(admitted.pod, 'eks-pod-identity-token')!['projected'] as JsonObject)['sources'] as JsonObject[])[0]!;
  assert.equal((source['serviceAccountToken'] as JsonObject)['expirationSeconds'], 3600);
});

test('pod-identity.md §4: existing FULL_URI or TOKEN_FILE variables are left alone; Windows gets C:\\ paths; init containers too', () => {
  const pod = appPod({ spec: { serviceAccountName: 'app', nodeSelector: { 'kubernetes.io/os': 'windows' }, initContainers: [{ name: 'init', image: 'i' }], containers: [{ name: 'app', image: 'a', env: [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://127.0.0.1:9911/creds' }] }] } });
  const admitted = admit(pod, { podIdentity: true, settings: { tokenExpiration: 7200 } })!;
  assert.deepEqual(envOf(container(admitted.pod)), [['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://127.0.0.1:9911/creds']]);
  assert.ok(mount(container(admitted.pod), 'eks-pod-identity-token'));
  assert.deepEqual(envOf(container(admitted.pod, 0, 'initContainers'))[1], ['AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'C:\\var\\run\\secrets\\pods.eks.amazonaws.com\\serviceaccount\\eks-pod-identity-token']);
});

test('RFC 6902: add, replace and remove with array indexes, "-" and escaped tokens; a missing parent is an error', () => {
  const doc: JsonValue = { a: [1, 2], 'b/c': { 'd~e': 1 } };
  assert.deepEqual(
    applyJsonPatch(doc, [
      { op: 'add', path: '/a/1', value: 9 },
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b~1c/d~0e', value: 2 },
      { op: 'remove', path: '/a/0' },
      { op: 'add', path: '/new', value: { x: [] } },
    ]),
    { a: [9, 2, 3], 'b/c': { 'd~e': 2 }, new: { x: [] } },
  );
  assert.deepEqual(doc, { a: [1, 2], 'b/c': { 'd~e': 1 } }, 'the input is not modified');
  assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/missing/x', value: 1 }]));
  assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/5', value: 1 }]));
  assert.throws(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]));
});
