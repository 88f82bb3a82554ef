/**
 * The partition of a blueprint's ARNs (docs/partitions.md: "Every ARN names its partition"): the
 * built-in `partition` parameter, by default the partition of the `region` parameter as the AWS SDKs
 * derive it (cn-north-1 is aws-cn), else aws; `--set partition=...` overrides it. Rendering the example
 * for cn-north-1 gives arn:aws-cn in every role ARN, managed policy ARN, OIDC provider ARN and resource.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManifestDocument } from '../../../src/declare/index.js';
import { renderBlueprintDocument } from '../../../src/declare/blueprint/expansion.js';
import { renderBlueprint, renderedObjects, type RenderedBlueprint, type RoleBlueprint } from '../../../src/declare/blueprint/render.js';
import { exampleBlueprintDocument } from './example-blueprint.js';

const PROD = { project: 'aos', env: 'prod' };

/** Every ARN in the rendered objects (role ARNs, managed policies, trust principals, policy resources). */
function arnsOf(rendered: RenderedBlueprint): string[] {
  return [...JSON.stringify(renderedObjects(rendered)).replace(/\\"/g, '"').matchAll(/arn:[^"\s,]*/g)].map((match) => match[0]);
}

/** The ARN partitions the rendered objects use, with how many ARNs use each. */
function partitionsOf(rendered: RenderedBlueprint): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const arn of arnsOf(rendered)) {
    const partition = arn.split(':')[1]!;
    counts[partition] = (counts[partition] ?? 0) + 1;
  }
  return counts;
}

function specOf(rendered: RenderedBlueprint, roleName: string): Record<string, unknown> {
  const role = rendered.roles.find((object) => object.spec!.roleName === roleName);
  assert.ok(role, `no role ${roleName}`);
  return role.spec!;
}

describe('the example blueprint in other partitions', () => {
  let document: ManifestDocument;
  before(async () => {
    document = await exampleBlueprintDocument();
  });

  test('region cn-north-1 renders arn:aws-cn everywhere (ARNs of the China Regions are arn:aws-cn)', () => {
    for (const workloadTrust of ['podIdentity', 'irsa']) {
      const rendered = renderBlueprintDocument(document, { ...PROD, region: 'cn-north-1', workloadTrust });
      const counts = partitionsOf(rendered);
      assert.deepEqual(Object.keys(counts), ['aws-cn'], JSON.stringify(counts));
      assert.ok(counts['aws-cn']! > 40, JSON.stringify(counts));
    }
    const irsa = renderBlueprintDocument(document, { ...PROD, region: 'cn-north-1', workloadTrust: 'irsa' });
    const node = specOf(irsa, 'aos-prod-node-role');
    assert.ok((node.managedPolicyArns as string[]).includes('arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy'));
    assert.ok((specOf(irsa, 'aos-prod-ebs-controller').managedPolicyArns as string[]).includes('arn:aws-cn:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'));
    const trust = JSON.parse(specOf(irsa, 'aos-prod-app').assumeRolePolicyDocument as string) as { Statement: Array<{ Principal: { Federated: string } }> };
    assert.match(trust.Statement[0]!.Principal.Federated, /^arn:aws-cn:iam::123456789012:oidc-provider\/oidc\.eks\.cn-north-1\./);
    assert.equal(irsa.serviceAccounts[0]!.metadata.annotations!['eks.amazonaws.com/role-arn'], 'arn:aws-cn:iam::123456789012:role/aos-prod-app');
    const podIdentity = renderBlueprintDocument(document, { ...PROD, region: 'cn-northwest-1' });
    assert.equal(podIdentity.podIdentityAssociations[0]!.spec!.roleArn, 'arn:aws-cn:iam::123456789012:role/aos-prod-app');
    const resources = JSON.stringify(specOf(podIdentity, 'aos-prod-task').inlinePolicies);
    assert.ok(resources.includes('arn:aws-cn:s3:::aos-prod-backend/*'));
    assert.ok(resources.includes('arn:aws-cn:ec2:cn-northwest-1:123456789012:instance/*'));
    assert.ok(resources.includes('arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:aos-prod*'));
  });

  test('GovCloud and the other partitions follow their regions; the default region stays in aws', () => {
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprintDocument(document, { ...PROD, region: 'us-gov-west-1' }))), ['aws-us-gov']);
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprintDocument(document, { ...PROD, region: 'eusc-de-east-1' }))), ['aws-eusc']);
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprintDocument(document, PROD))), ['aws']);
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprintDocument(document, { ...PROD, region: 'eu-west-1' }))), ['aws']);
  });

  test('IRSA trust keeps aud = sts.amazonaws.com in aws-cn and aws-us-gov (the EKS webhook projects that audience in every partition; eksctl#1910)', () => {
    for (const region of ['cn-north-1', 'us-gov-west-1', 'us-east-1']) {
      const rendered = renderBlueprintDocument(document, { ...PROD, region, workloadTrust: 'irsa' });
      const trust = JSON.parse(specOf(rendered, 'aos-prod-app').assumeRolePolicyDocument as string) as {
        Statement: Array<{ Principal: { Federated: string }; Condition: Record<string, Record<string, string>> }>;
      };
      const statement = trust.Statement[0]!;
      const provider = statement.Principal.Federated.replace(/^arn:[^:]+:iam::\d{12}:oidc-provider\//, '');
      assert.equal(statement.Condition['StringEquals']![`${provider}:aud`], 'sts.amazonaws.com', region);
    }
  });

  test('--set partition overrides the region; a partition AWS does not have is an error naming the parameter', () => {
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprintDocument(document, { ...PROD, partition: 'aws-cn' }))), ['aws-cn']);
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, partition: 'aws-mars' }), /parameter partition: the value "aws-mars" is not one of "aws-us-gov", .*"aws-cn", "aws"/);
  });
});

/** A blueprint without a region parameter. */
function regionless(parameters: RoleBlueprint['spec']['parameters'] = []): RoleBlueprint {
  return {
    apiVersion: 'rolecall.dev/v1alpha1',
    kind: 'RoleBlueprint',
    metadata: { name: 'small' },
    spec: {
      providerRef: { name: 'p' },
      identity: { accountId: '123456789012', oidcIssuer: 'oidc.example.com/id/X' },
      parameters,
      roles: [{ id: 'r', roleName: 'reader', trust: { mode: 'irsa', serviceAccounts: ['ns:sa'] }, managedPolicies: ['ReadOnlyAccess', 'service-role/AmazonEBSCSIDriverPolicy'] }],
    },
  };
}

describe('the built-in partition parameter', () => {
  test('without a region parameter the partition is aws, set with --set partition= or spec.values', () => {
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprint(regionless(), {}))), ['aws']);
    const gov = renderBlueprint(regionless(), { partition: 'aws-us-gov' });
    assert.deepEqual(gov.roles[0]!.spec!.managedPolicyArns, ['arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess', 'arn:aws-us-gov:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
    assert.equal(gov.serviceAccounts[0]!.metadata.annotations!['eks.amazonaws.com/role-arn'], 'arn:aws-us-gov:iam::123456789012:role/reader');
    const fromValues = { ...regionless(), spec: { ...regionless().spec, values: { partition: 'aws-iso-b' } } };
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprint(fromValues, {}))), ['aws-iso-b']);
  });

  test('a blueprint may declare partition itself; its value must still be a partition AWS has', () => {
    const declared = regionless([{ name: 'partition', type: 'string', default: 'aws-cn' }]);
    assert.deepEqual(Object.keys(partitionsOf(renderBlueprint(declared, {}))), ['aws-cn']);
    assert.throws(() => renderBlueprint(declared, { partition: 'azure' }), /parameter partition: "azure" is not an AWS partition/);
  });

  test('an undeclared --set still lists only the declared parameters', () => {
    assert.throws(() => renderBlueprint(regionless([{ name: 'team', type: 'string', default: 't' }]), { teem: 'x' }), /--set teem: the blueprint declares no parameter "teem" \(it declares team\)$/);
  });
});
