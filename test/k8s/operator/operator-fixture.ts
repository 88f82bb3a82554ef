/**
 * What the operator tests share: the real Rolecall server, the Kubernetes API double with the
 * operator's CRDs installed, an AWSProvider pointing at the server with its keys in a Secret, and
 * readers of status and Events.
 */
import { CoreV1Api, CustomObjectsApi, type CoreV1Event } from '@kubernetes/client-node';
import { CUSTOM_RESOURCE_TYPES, customResourceDefinition } from '../../../src/k8s/operator/custom-resources.js';
import { E2eServer, ROOT } from '../../e2e/harness.js';
import { KubeApiServer } from '../../k8s-api/api-server.js';
import type { KubeObject } from '../../k8s-api/object-store.js';
import { loopbackCertificate } from '../../k8s-api/tls-material.js';

export const GROUP = 'rolecall.dev';
export const SEED_GROUP = 'aws-infra-operator.runner.codes';
export const VERSION = 'v1alpha1';

export interface OperatorFixture {
  rolecall: E2eServer;
  api: KubeApiServer;
  custom: CustomObjectsApi;
  core: CoreV1Api;
}

/**
 * Starts both servers, installs the CRDs, the credentials Secret and AWSProvider `rolecall` in both
 * groups. The fixture's own clients use the first token; `replicaTokens` tell replicas apart.
 */
export async function startFixture(replicaTokens: string[] = []): Promise<OperatorFixture> {
  const [rolecall, api] = await Promise.all([E2eServer.start(), KubeApiServer.start({ token: ['operator-test-token', ...replicaTokens], tls: loopbackCertificate() })]);
  api.createFromManifests(CUSTOM_RESOURCE_TYPES.map((type) => customResourceDefinition(type) as unknown as KubeObject));
  const config = api.kubeConfig();
  const custom = config.makeApiClient(CustomObjectsApi);
  const core = config.makeApiClient(CoreV1Api);
  await core.createNamespacedSecret({
    namespace: 'default',
    body: { metadata: { name: 'rolecall-keys' }, stringData: { AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey } },
  });
  for (const group of [GROUP, SEED_GROUP]) {
    await custom.createNamespacedCustomObject({
      group,
      version: VERSION,
      namespace: 'default',
      plural: 'awsproviders',
      body: {
        apiVersion: `${group}/${VERSION}`,
        kind: 'AWSProvider',
        metadata: { name: 'rolecall' },
        spec: { region: 'us-east-1', endpoint: rolecall.url, credentialsSecret: { name: 'rolecall-keys' }, defaultTags: { 'managed-by': 'rolecall-operator' } },
      },
    });
  }
  return { rolecall, api, custom, core };
}

export async function stopFixture(fixture: OperatorFixture): Promise<void> {
  await Promise.all([fixture.api.stop(), fixture.rolecall.stop()]);
}

/** A custom object as read back. */
export interface Observed {
  metadata: { name: string; generation?: number; finalizers?: string[]; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: {
    ready?: boolean;
    roleArn?: string;
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason: string; message: string }[];
    renderedRoles?: string[];
  };
}

/** Reads a custom object, or undefined when it does not exist. */
export async function readObject(fixture: OperatorFixture, group: string, plural: string, name: string): Promise<Observed | undefined> {
  try {
    return (await fixture.custom.getNamespacedCustomObject({ group, version: VERSION, namespace: 'default', plural, name })) as Observed;
  } catch {
    return undefined;
  }
}

/** The Events recorded about one object, oldest first. */
export async function eventsOf(fixture: OperatorFixture, name: string): Promise<CoreV1Event[]> {
  const events = await fixture.core.listNamespacedEvent({ namespace: 'default' });
  return events.items.filter((event) => event.involvedObject.name === name);
}

/** An IAMRole manifest in the seed's format. */
export function iamRole(group: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: `${group}/${VERSION}`,
    kind: 'IAMRole',
    metadata: { name },
    spec: {
      providerRef: { name: 'rolecall' },
      roleName: name,
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      ...spec,
    },
  };
}
