/**
 * RoleBlueprint rendering (issue 10, "Role blueprints (seed 000)"): the shipped example against seed
 * 000's tables role by role, the engine's validator over every rendered policy, the trust modes, the
 * boundary, and the errors for missing parameters, unfilled template variables and injection attempts.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { validatePolicy } from '../../../src/policy/index.js';
import { ManifestError, expandDocuments, validateManifests, type ManifestDocument } from '../../../src/declare/index.js';
import { renderBlueprintDocument } from '../../../src/declare/blueprint/expansion.js';
import { renderBlueprint, type RenderedBlueprint, type RenderedObject, type RoleBlueprint } from '../../../src/declare/blueprint/render.js';
import { BlueprintError } from '../../../src/declare/blueprint/blueprint-error.js';
import { CLUSTER_ROLES, POLICY_ACTIONS, RESOURCES, SERVICE_ACCOUNT_ROLES, SYSTEM_ROLES, type InventoryRole } from './seed-000-inventory.js';
import { exampleBlueprintDocument, exampleDocuments } from './example-blueprint.js';

const PROD = { project: 'aos', env: 'prod' };

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

interface RoleSpec {
  roleName: string;
  assumeRolePolicyDocument: string;
  inlinePolicies?: { policyName: string; policyDocument: string }[];
  managedPolicyArns?: string[];
  permissionsBoundary?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
}

function specOf(role: RenderedObject): RoleSpec {
  return role.spec as unknown as RoleSpec;
}

function roleNamed(rendered: RenderedBlueprint, roleName: string): RoleSpec {
  const role = rendered.roles.find((object) => specOf(object).roleName === roleName);
  assert.ok(role, `no rendered role ${roleName}`);
  return specOf(role);
}

function statementsOf(document: string): PolicyStatement[] {
  const parsed = JSON.parse(document) as { Statement: PolicyStatement | PolicyStatement[] };
  return Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

describe('examples/aoscloud-blueprint.yaml rendered with only --set project=aos --set env=prod (seed 000)', () => {
  let document: ManifestDocument;
  let rendered: RenderedBlueprint;
  before(async () => {
    document = await exampleBlueprintDocument();
    rendered = renderBlueprintDocument(document, PROD);
  });

  test('renders the seed inventory: 7 service-account, 5 system and 2 cluster roles, nothing else', () => {
    const expected = [...SERVICE_ACCOUNT_ROLES, ...SYSTEM_ROLES, ...CLUSTER_ROLES].map((role) => role.roleName);
    assert.deepEqual(rendered.roles.map((role) => specOf(role).roleName), expected);
    assert.ok(rendered.roles.every((role) => role.apiVersion === 'rolecall.dev/v1alpha1' && role.kind === 'IAMRole'));
    assert.deepEqual(rendered.warnings, [], 'the defaults (Pod Identity, IRSA StringEquals) carry no warning');
  });

  for (const inventory of [...SERVICE_ACCOUNT_ROLES, ...SYSTEM_ROLES, ...CLUSTER_ROLES]) {
    test(`seed 000 table: ${inventory.id} (${inventory.roleName}) has exactly its policies and managed policies`, () => {
      const spec = roleNamed(rendered, inventory.roleName);
      assert.deepEqual((spec.inlinePolicies ?? []).map((policy) => policy.policyName), inventory.policies);
      assert.deepEqual(spec.managedPolicyArns ?? [], inventory.managed);
      assert.equal(spec.maxSessionDuration, 3600);
      assert.deepEqual(spec.tags, { project: 'aos', environment: 'prod' });
      assert.equal(spec.permissionsBoundary, undefined, 'no boundary unless the parameter is set');
    });
  }

  test('seed 000 "AWS Actions" columns: each custom policy grants exactly the documented actions', () => {
    for (const inventory of SERVICE_ACCOUNT_ROLES) {
      for (const policy of roleNamed(rendered, inventory.roleName).inlinePolicies ?? []) {
        const actions = new Set(statementsOf(policy.policyDocument).flatMap((statement) => list(statement.Action)));
        assert.deepEqual([...actions].sort(), [...POLICY_ACTIONS[policy.policyName]!].sort(), `${inventory.roleName} ${policy.policyName}`);
      }
    }
  });

  test('seed 000 "Resources" columns: backend and infra buckets, the {project}-{env}* secret path, the managedby=aos-app tag, the SaaS role', () => {
    const base = roleNamed(rendered, 'aos-prod-base');
    const policy = (name: string) => statementsOf(base.inlinePolicies!.find((p) => p.policyName === name)!.policyDocument);
    const resources = (name: string) => policy(name).flatMap((statement) => list(statement.Resource));
    assert.ok(resources('default_backend').includes(RESOURCES.backendBucket) && resources('default_backend').includes(`${RESOURCES.backendBucket}/*`));
    assert.ok(resources('s3_infra').includes(`${RESOURCES.infraBucket}/*`));
    assert.ok(resources('secrets_manager_rw').includes('arn:aws:secretsmanager:us-east-1:123456789012:secret:aos-prod*'));
    assert.ok(resources('saas').includes(RESOURCES.saasRole));
    const tagConditions = policy('ec2_task').flatMap((statement) => Object.values(statement.Condition ?? {}).flatMap((test) => Object.entries(test)));
    assert.deepEqual(
      tagConditions.filter(([key]) => key.endsWith(`/${RESOURCES.ec2Tag.key}`)).map(([key, value]) => `${key}=${String(value)}`),
      ['aws:RequestTag/managedby=aos-app', 'aws:ResourceTag/managedby=aos-app'],
    );
    const autoscaler = statementsOf(roleNamed(rendered, 'aos-prod-autoscaling-role').inlinePolicies![0]!.policyDocument);
    assert.equal(autoscaler[1]!.Condition!.StringEquals!['autoscaling:ResourceTag/k8s.io/cluster-autoscaler/aos-prod'], 'owned', '${CLUSTER_ID} is the cluster');
  });

  test('every rendered policy passes the engine validator (identity inline policies and trust policies)', () => {
    for (const role of rendered.roles) {
      const spec = specOf(role);
      assert.deepEqual(validatePolicy(spec.assumeRolePolicyDocument, 'trust'), { valid: true }, `${spec.roleName} trust`);
      for (const policy of spec.inlinePolicies ?? []) {
        assert.deepEqual(validatePolicy(policy.policyDocument, 'identity', { inline: true }), { valid: true }, `${spec.roleName} ${policy.policyName}`);
      }
    }
  });

  test('trust: Pod Identity for the service accounts (seed\'s pattern), IRSA StringEquals + aud on kube-system for components, service principals for the cluster', () => {
    const check = (inventory: InventoryRole, expected: unknown) => assert.deepEqual(JSON.parse(roleNamed(rendered, inventory.roleName).assumeRolePolicyDocument), expected, inventory.roleName);
    for (const inventory of SERVICE_ACCOUNT_ROLES) {
      check(inventory, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });
    }
    const issuer = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const federated = { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` };
    check(SYSTEM_ROLES[0]!, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: federated,
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: ['system:serviceaccount:kube-system:aws-node', 'system:serviceaccount:kube-system:cluster-autoscaler'],
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
    check(SYSTEM_ROLES[2]!, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: federated,
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${issuer}:sub`]: 'system:serviceaccount:kube-system:ebs-csi-*' }, StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        },
      ],
    });
    for (const [inventory, service] of [[CLUSTER_ROLES[0]!, 'eks.amazonaws.com'], [CLUSTER_ROLES[1]!, 'ec2.amazonaws.com']] as const) {
      check(inventory, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
    }
  });

  test('workload bindings: one Pod Identity association per service account (CreatePodIdentityAssociation fields), IRSA ServiceAccounts for exact system names', () => {
    assert.deepEqual(
      rendered.podIdentityAssociations.map((object) => object.spec),
      SERVICE_ACCOUNT_ROLES.map((inventory) => ({
        providerRef: { name: 'rolecall' },
        clusterName: 'aos-prod',
        namespace: 'prod',
        serviceAccount: inventory.trusts[0]!.split(':')[1],
        roleArn: `arn:aws:iam::123456789012:role/${inventory.roleName}`,
      })),
    );
    assert.deepEqual(
      rendered.serviceAccounts.map((object) => `${object.metadata.namespace}:${object.metadata.name} ${object.metadata.annotations!['eks.amazonaws.com/role-arn']}`),
      [
        'kube-system:aws-node arn:aws:iam::123456789012:role/aos-prod-autoscaling-role',
        'kube-system:cluster-autoscaler arn:aws:iam::123456789012:role/aos-prod-autoscaling-role',
        'kube-system:aws-load-balancer-controller arn:aws:iam::123456789012:role/aos-prod-load-balancer-controller',
      ],
    );
  });

  test('--set workloadTrust=irsa: StringEquals on the exact namespace and aud; ServiceAccounts annotated with eks.amazonaws.com/role-arn', () => {
    const irsa = renderBlueprintDocument(document, { ...PROD, workloadTrust: 'irsa' });
    const trust = JSON.parse(roleNamed(irsa, 'aos-prod-app').assumeRolePolicyDocument) as { Statement: PolicyStatement[] };
    assert.deepEqual(trust.Statement[0]!.Condition, {
      StringEquals: {
        'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:prod:sa-app',
        'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
      },
    });
    assert.equal(irsa.podIdentityAssociations.length, 0);
    const app = irsa.serviceAccounts.find((object) => object.metadata.name === 'sa-app')!;
    assert.deepEqual(app.metadata.annotations, { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/aos-prod-app' });
    assert.equal(app.metadata.namespace, 'prod');
  });

  test('--set workloadTrust=irsaAnyNamespace: the seed\'s StringLike development pattern, flagged with a warning on each role', () => {
    const development = renderBlueprintDocument(document, { ...PROD, workloadTrust: 'irsaAnyNamespace' });
    const trust = JSON.parse(roleNamed(development, 'aos-prod-task').assumeRolePolicyDocument) as { Statement: PolicyStatement[] };
    assert.deepEqual(trust.Statement[0]!.Condition, {
      StringLike: { 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:*:sa-task' },
    });
    assert.equal(development.warnings.length, 7);
    assert.match(development.warnings[1]!, /role aos-prod-task uses trust mode irsaAnyNamespace .* in ANY namespace can assume it; use irsa/);
    const annotated = development.roles.find((role) => specOf(role).roleName === 'aos-prod-task')!;
    assert.match(annotated.metadata.annotations!['rolecall.dev/trust-warning']!, /ANY namespace/);
  });

  test('seed 000 "Permission Boundaries": --set permissionsBoundary=ARN puts it on every role (service accounts and EKS)', () => {
    const boundary = 'arn:aws:iam::123456789012:policy/PlatformBoundary';
    const bounded = renderBlueprintDocument(document, { ...PROD, permissionsBoundary: boundary });
    assert.equal(bounded.roles.length, 14);
    for (const role of bounded.roles) assert.equal(specOf(role).permissionsBoundary, boundary);
  });

  test('parameters: defaults refer to other parameters; --set overrides them with type and pattern checks', () => {
    const staging = renderBlueprintDocument(document, { project: 'aos', env: 'staging', cluster: 'shared-eks', maxSessionDuration: '7200', accountId: '111122223333' });
    assert.ok(staging.roles.some((role) => specOf(role).roleName === 'shared-eks-role'));
    assert.equal(roleNamed(staging, 'aos-staging-app').maxSessionDuration, 7200);
    assert.equal(staging.podIdentityAssociations[0]!.spec!.namespace, 'staging');
    assert.equal(staging.podIdentityAssociations[0]!.spec!.roleArn, 'arn:aws:iam::111122223333:role/aos-staging-app');
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, maxSessionDuration: 'long' }), /parameter maxSessionDuration: --set maxSessionDuration=long is not an integer/);
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, maxSessionDuration: '60' }), /spec.maxSessionDuration: Invalid value: 60: spec.maxSessionDuration in body should be greater than or equal to 3600/);
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, accountId: '12345' }), /parameter accountId: the value "12345" does not match the pattern/);
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, workloadTrust: 'oidc' }), /parameter workloadTrust: the value "oidc" is not one of "podIdentity", "irsa", "irsaAnyNamespace"/);
  });

  test('a missing parameter is an error naming it; so is --set of a parameter the blueprint does not declare', () => {
    assert.throws(() => renderBlueprintDocument(document, { project: 'aos' }), (error: unknown) => {
      assert.ok(error instanceof ManifestError);
      assert.match(error.message, /aoscloud-blueprint\.yaml \(document 2\): RoleBlueprint default\/aoscloud: parameter env: no value given and no default \(set it with --set env=VALUE\)$/);
      return true;
    });
    assert.throws(() => renderBlueprintDocument(document, { ...PROD, enviroment: 'x' }), /--set enviroment: the blueprint declares no parameter "enviroment"/);
  });

  test('rolecall apply accepts the blueprint: its document expands into IAMRoles, ServiceAccounts and associations that pass validation', async () => {
    const documents = expandDocuments(await exampleDocuments(), { parameters: PROD });
    assert.deepEqual(documents.map((d) => d.object.kind), ['AWSProvider', ...Array(14).fill('IAMRole'), ...Array(3).fill('ServiceAccount'), ...Array(7).fill('PodIdentityAssociation')]);
    const result = validateManifests(documents);
    assert.ok(result.valid, JSON.stringify(!result.valid && result.problems));
    assert.equal(result.set.roles.length, 14);
    assert.equal(result.set.associations.length, 7);
    // The IRSA ServiceAccounts are for a cluster: apply keeps them aside to say it skips them.
    assert.deepEqual(result.set.clusterOnly.map((object) => `${object.kind} ${object.namespace}/${object.name}`), [
      'ServiceAccount kube-system/aws-node',
      'ServiceAccount kube-system/cluster-autoscaler',
      'ServiceAccount kube-system/aws-load-balancer-controller',
    ]);
  });
});

/** A small blueprint for the error and safety rules. */
function blueprint(overrides: Partial<RoleBlueprint['spec']> = {}): RoleBlueprint {
  const base = parseYaml(`
apiVersion: rolecall.dev/v1alpha1
kind: RoleBlueprint
metadata: {name: small}
spec:
  providerRef: {name: p}
  identity: {accountId: '123456789012', clusterName: c, oidcIssuer: oidc.example.com/id/X}
  parameters:
    - {name: bucket, type: string}
  policyTemplates:
    - name: rw
      parameters: [BUCKET]
      document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::\${BUCKET}/\${aws:username}/*"}]}'
  policies:
    - {name: read, template: rw, values: {BUCKET: '{bucket}'}}
  roles:
    - {id: r, roleName: reader, trust: {mode: podIdentity, serviceAccounts: ['ns:sa']}, policies: [read]}
`) as RoleBlueprint;
  return { ...base, spec: { ...base.spec, ...overrides } };
}

describe('RoleBlueprint rules', () => {
  test('template substitution is JSON-safe: a value with quotes stays one string; no statement can be injected', () => {
    const hostile = 'b", "Effect": "Allow", "Action": "*", "Resource": "*"}, {"Sid": "x';
    const rendered = renderBlueprint(blueprint(), { bucket: hostile });
    const statements = statementsOf(specOf(rendered.roles[0]!).inlinePolicies![0]!.policyDocument);
    assert.equal(statements.length, 1);
    assert.deepEqual(statements[0]!.Action, 's3:GetObject');
    assert.equal(statements[0]!.Resource, `arn:aws:s3:::${hostile}/\${aws:username}/*`);
  });

  test("template substitution: a value's ${...} cannot become a policy variable (written ${$}); the template's own variables stay", () => {
    const rendered = renderBlueprint(blueprint(), { bucket: 'b${aws:PrincipalTag/team}' });
    const statements = statementsOf(specOf(rendered.roles[0]!).inlinePolicies![0]!.policyDocument);
    assert.equal(statements[0]!.Resource, 'arn:aws:s3:::b${$}{aws:PrincipalTag/team}/${aws:username}/*');
  });

  test('a template variable left unfilled is an error naming it; so is a placeholder the template does not declare', () => {
    const unfilled = blueprint({ policies: [{ name: 'read', template: 'rw', values: {} }] });
    assert.throws(() => renderBlueprint(unfilled, { bucket: 'b' }), (error: unknown) => error instanceof BlueprintError && error.message === 'spec.policies[0].values: template variable BUCKET of rw is left unfilled');
    const undeclared = blueprint({ policyTemplates: [{ name: 'rw', parameters: [], document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${BUCKET}"}]}' }] });
    assert.throws(() => renderBlueprint(undeclared, { bucket: 'b' }), /spec.policyTemplates\[0\].document: uses \$\{BUCKET\}, which is not in spec.policyTemplates\[0\].parameters/);
    const unknownValue = blueprint({ policies: [{ name: 'read', template: 'rw', values: { BUCKET: 'b', REGION: 'x' } }] });
    assert.throws(() => renderBlueprint(unknownValue, { bucket: 'b' }), /spec.policies\[0\].values.REGION: template rw has no parameter REGION/);
  });

  test('a {reference} to an undeclared parameter, and a default cycle, are errors naming them', () => {
    const typo = blueprint({ roles: [{ id: 'r', roleName: '{projet}-app', trust: { mode: 'podIdentity', serviceAccounts: ['ns:sa'] } }] });
    assert.throws(() => renderBlueprint(typo, { bucket: 'b' }), /spec.roles\[0\].roleName: \{projet\} names no declared parameter/);
    const cycle = blueprint({ parameters: [{ name: 'a', type: 'string', default: '{b}' }, { name: 'b', type: 'string', default: '{a}' }] });
    assert.throws(() => renderBlueprint(cycle, {}), /parameter [ab]: its default refers to itself/);
  });

  test('a rendered policy the engine rejects is an error with AWS\'s MalformedPolicyDocument text', () => {
    const bad = blueprint({ policyTemplates: [{ name: 'rw', parameters: ['BUCKET'], document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3 GetObject","Resource":"arn:aws:s3:::${BUCKET}"}]}' }] });
    assert.throws(() => renderBlueprint(bad, { bucket: 'b' }), /spec.policies\[0\]: MalformedPolicyDocument: /);
  });

  test('Pod Identity needs exact service accounts; a pattern is an error pointing to irsa', () => {
    const pattern = blueprint({ roles: [{ id: 'r', roleName: 'x', trust: { mode: 'podIdentity', serviceAccounts: ['kube-system:ebs-csi-*'] } }] });
    assert.throws(() => renderBlueprint(pattern, { bucket: 'b' }), /spec.roles\[0\].trust: Pod Identity associates exact service accounts; kube-system:ebs-csi-\* is a pattern/);
  });

  test('managed policies by name: unknown names are errors; path/name and ARNs are taken as written', () => {
    const unknown = blueprint({ roles: [{ id: 'r', roleName: 'x', trust: { mode: 'service', service: 'ec2.amazonaws.com' }, managedPolicies: ['AmazonEKSNoSuchPolicy'] }] });
    assert.throws(() => renderBlueprint(unknown, { bucket: 'b' }), /spec.roles\[0\].managedPolicies\[0\]: no AWS managed policy is named "AmazonEKSNoSuchPolicy"/);
    const explicit = blueprint({
      roles: [{ id: 'r', roleName: 'x', trust: { mode: 'service', service: 'ec2.amazonaws.com' }, managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy', 'arn:aws:iam::123456789012:policy/Mine'] }],
    });
    assert.deepEqual(specOf(renderBlueprint(explicit, { bucket: 'b' }).roles[0]!).managedPolicyArns, [
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
      'arn:aws:iam::123456789012:policy/Mine',
    ]);
  });

  test('the RoleBlueprint schema is checked strictly before rendering (unknown fields, wrong types)', () => {
    const document: ManifestDocument = { source: 'bp.yaml', document: 1, object: { ...blueprint(), spec: { ...blueprint().spec, roles: [{ id: 'r', roleName: 'x', trust: { mode: 'podIdentity' }, polices: [] }] } } as unknown as Record<string, unknown> };
    assert.throws(() => renderBlueprintDocument(document, { bucket: 'b' }), /bp\.yaml \(document 1\): RoleBlueprint default\/small: spec\.roles\[0\]\.polices: unknown field "spec\.roles\[0\]\.polices"/);
  });
});
