/**
 * AdmissionReview documents as a Kubernetes API server sends them to a mutating webhook
 * (admission.k8s.io/v1), built around pod JSON the tests vary.
 */
import type { JsonObject } from '../../src/k8s/json-patch.js';

/** An `admission.k8s.io/v1` AdmissionReview for the CREATE of `pod` in `namespace`. */
export function podCreateReview(pod: JsonObject, namespace = 'default', uid = '705ab4f5-6393-11e8-b7cc-42010a800002'): JsonObject {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: '',
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'f4b5a1b2-0000-4000-8000-000000000001', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      object: pod,
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

/** A Deployment-made pod as the API server presents it before admission: defaulted, unnamed, with a generateName. */
export function appPod(overrides: { spec?: JsonObject; metadata?: JsonObject } = {}): JsonObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      generateName: 'app-7c9f8d6b5-',
      namespace: 'default',
      labels: { app: 'app', 'pod-template-hash': '7c9f8d6b5' },
      ...overrides.metadata,
    },
    spec: {
      serviceAccountName: 'app',
      containers: [
        {
          name: 'app',
          image: 'public.ecr.aws/aws-cli/aws-cli:2.22.0',
          command: ['sleep', 'infinity'],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ name: 'kube-api-access-8x2lq', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccount: 'app',
      securityContext: {},
      schedulerName: 'default-scheduler',
      volumes: [
        {
          name: 'kube-api-access-8x2lq',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      ...overrides.spec,
    },
    status: {},
  };
}
