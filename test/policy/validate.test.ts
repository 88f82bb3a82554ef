import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicyKind, checkPolicySize, validatePolicy } from '../../src/policy/validate.js';
import { policySizeWithoutWhitespace } from '../../src/policy/policy-size.js';
import { parsePolicy } from '../../src/policy/parse.js';
import { AwsError, LimitExceededError, MalformedPolicyDocumentError } from '../../src/policy/errors.js';
import type { PolicyKind } from '../../src/policy/types.js';

// Where each message comes from is in docs/policy-validation.md; test names cite it in short:
//   MOTO   getmoto/moto tests/test_iam/test_iam_policies.py (cases recorded against IAM's CreatePolicy)
//   VERSITY versity/versitygw IAM CreateRole tests (AWS wording for trust policies)
//   ORGS   aws-cloudformation / org-formation-cli#225 (Organizations' MalformedPolicyDocumentException)

// Policies of the seed documents (../shared/seeds), copied verbatim as JSON text.
const SEED_TRUST_POLICIES: Array<[string, string]> = [
  ["000_72fb5b0ae65f78aa.txt @1316", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}'],
  ["001_dcca4c5be711287f.txt @12240", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"unique-external-id-123"}}}]}'],
  ["001_dcca4c5be711287f.txt @12954", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'],
  ["001_dcca4c5be711287f.txt @1375", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:infra-operator-system:infra-operator-controller-manager","oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com"}}}]}'],
  ["001_dcca4c5be711287f.txt @14052", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'],
  ["001_dcca4c5be711287f.txt @14798", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub":"system:serviceaccount:default:app-sa"}}}]}'],
  ["001_dcca4c5be711287f.txt @5146", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'],
  ["001_dcca4c5be711287f.txt @5893", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'],
  ["001_dcca4c5be711287f.txt @8500", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/other-role"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"unique-external-id"}}}]}'],
  ["002_bc01b5074380db25.txt @1624", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::222222222222:oidc-provider/oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:causely:causely-mediator","oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com"}}}]}'],
  ["002_bc01b5074380db25.txt @589", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:causely:causely-mediator","oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com"}}}]}'],
  ["003_8afecf2cee27b40b.txt @6785", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::012345678901:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub":"system:serviceaccount:payments:payments-api","oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud":"sts.amazonaws.com"}}}]}'],
  ["003_8afecf2cee27b40b.txt @9391", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/DeploymentRole"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"unique-external-id-for-this-relationship"}}}]}'],
];
const SEED_MANAGED_POLICIES: Array<[string, string]> = [
  ["001_dcca4c5be711287f.txt @11644", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::my-app-bucket","arn:aws:s3:::my-app-bucket/*"]}]}'],
  ["001_dcca4c5be711287f.txt @13251", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}'],
  ["001_dcca4c5be711287f.txt @13477", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs/*"}]}'],
  ["001_dcca4c5be711287f.txt @15208", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::eks-app-data/*"}]}'],
  ["001_dcca4c5be711287f.txt @17749", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::my-bucket/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}]}'],
  ["001_dcca4c5be711287f.txt @19519", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::data-bucket/*"},{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:*:table/data"}]}'],
  ["001_dcca4c5be711287f.txt @1971", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateRole","iam:DeleteRole","iam:GetRole","iam:UpdateRole","iam:AttachRolePolicy","iam:DetachRolePolicy","iam:PutRolePolicy","iam:DeleteRolePolicy","iam:GetRolePolicy","iam:ListRolePolicies","iam:ListAttachedRolePolicies","iam:TagRole","iam:UntagRole","iam:ListRoleTags"],"Resource":"*"}]}'],
  ["001_dcca4c5be711287f.txt @20466", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::app-bucket/*"},{"Effect":"Allow","Action":["dynamodb:*"],"Resource":"arn:aws:dynamodb:*:*:table/app-*"},{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:*:*:secret:app/*"}]}'],
  ["001_dcca4c5be711287f.txt @6215", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:*:*:table/e2e-*"}]}'],
  ["001_dcca4c5be711287f.txt @9061", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/users"}]}'],
  ["001_dcca4c5be711287f.txt @9345", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*"}]}'],
  ["003_8afecf2cee27b40b.txt @2591", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::my-app-bucket/*","Condition":{"StringEquals":{"s3:prefix":["uploads/","exports/"]}}},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::my-app-bucket/*"}]}'],
  ["003_8afecf2cee27b40b.txt @4993", '{"Version":"2012-10-17","Statement":[{"Sid":"AllowRoleCreationWithBoundary","Effect":"Allow","Action":["iam:CreateRole","iam:PutRolePolicy","iam:AttachRolePolicy"],"Resource":"arn:aws:iam::012345678901:role/*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::012345678901:policy/DeveloperBoundary"}}}]}'],
  ["004_5ced8259b3043afe.txt @912", '{"Version":"2012-10-17","Statement":[{"Sid":"AllowS3ReadAccess","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"],"Condition":{"StringEquals":{"s3:prefix":["uploads/","public/"]}}},{"Sid":"DenyDeleteObject","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::my-bucket/*"}]}'],
];
/** No Version: valid as an inline policy, refused as a managed one. */
const SEED_INLINE_POLICIES: Array<[string, string]> = [
  ["000_72fb5b0ae65f78aa.txt @6786", '{"Statement":[{"Sid":"clusterAutoscalerAll","Effect":"Allow","Action":["autoscaling:DescribeAutoScalingGroups","autoscaling:DescribeAutoScalingInstances","autoscaling:DescribeInstances","autoscaling:DescribeLaunchConfigurations","autoscaling:DescribeTags","autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup","ec2:DescribeLaunchTemplateVersions","ec2:DescribeInstanceTypes","ec2:DescribeImages","ec2:GetInstanceTypesFromInstanceRequirements","eks:DescribeNodegroup"],"Resource":"*"},{"Sid":"clusterAutoscalerOwn","Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup","autoscaling:UpdateAutoScalingGroup"],"Resource":"*","Condition":{"StringEquals":{"autoscaling:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER_ID}":"owned","autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled":"true"}}}]}'],
];
const SEED_SCPS: Array<[string, string]> = [
  ["003_8afecf2cee27b40b.txt @10637", '{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeavingOrganization","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"},{"Sid":"RequireIMDSv2","Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotEquals":{"ec2:MetadataHttpTokens":"required"}}},{"Sid":"DenyRegionsOutsideUS","Effect":"Deny","NotAction":["iam:*","sts:*","cloudfront:*","route53:*","route53resolver:*","support:*","budgets:*","organizations:*","account:*","health:*","globalaccelerator:*","waf:*","trustedadvisor:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}}]}'],
];
/** Trust policies with placeholders (`<OIDC-provider-ARN>`, `${AWS_ACCOUNT_ID}`, `ACCOUNT-A-ID`, a 9-digit account). */
const SEED_TEMPLATES: Array<[string, string]> = [
  ["000_72fb5b0ae65f78aa.txt @2162", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Principal":{"Federated":"<OIDC-provider-ARN>"},"Condition":{"StringLike":{"<OIDC-issuer-URL>:sub":"system:serviceaccount:*:<service-account-name>"}}}]}'],
  ["001_dcca4c5be711287f.txt @2821", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/${OIDC_PROVIDER}"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"${OIDC_PROVIDER}:sub":"system:serviceaccount:infra-operator-system:infra-operator-controller-manager","${OIDC_PROVIDER}:aud":"sts.amazonaws.com"}}}]}'],
  ["004_5ced8259b3043afe.txt @2560", '{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789:oidc-provider/oidc.eks.us-east-1.amazonaws.com/..."},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.../sub":"system:serviceaccount:production:s3-reader"}}}]}'],
  ["004_5ced8259b3043afe.txt @3228", '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT-A-ID:role/deployment-role"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"unique-external-id-12345"}}}]}'],
];

function assertRejected(kind: PolicyKind, document: string | object, message: string, options: { inline?: boolean } = {}): void {
  assert.deepEqual(validatePolicy(document, kind, options), { valid: false, error: { code: 'MalformedPolicyDocument', message } });
}

function assertValid(kind: PolicyKind, document: string | object, options: { inline?: boolean } = {}): void {
  assert.deepEqual(validatePolicy(document, kind, options), { valid: true });
}

const V = '2012-10-17';
const listBucket = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' };
const assumeByEc2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
const bucketRead = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const ORGANIZATIONS = 'The provided policy document does not meet the requirements of the specified policy type.';

// Seeds -----------------------------------------------------------------------------------------------

test('seed trust policies are valid trust policies and are refused as identity policies (reference_policies_elements_principal.html)', () => {
  assert.equal(SEED_TRUST_POLICIES.length, 13);
  for (const [where, text] of SEED_TRUST_POLICIES) {
    assert.deepEqual(validatePolicy(text, 'trust'), { valid: true }, where);
    assert.ok(parsePolicy(text).statements.every((s) => s.principal !== undefined), where);
    assertRejected('identity', text, 'Policy document should not specify a principal.');
  }
});

test('seed managed policies are valid identity, boundary and session policies (access_policies.html)', () => {
  assert.equal(SEED_MANAGED_POLICIES.length, 14);
  for (const [where, text] of SEED_MANAGED_POLICIES) {
    for (const kind of ['identity', 'boundary', 'session'] as const) assert.deepEqual(validatePolicy(text, kind), { valid: true }, `${where} as ${kind}`);
    assertRejected('trust', text, parsePolicy(text).statements.some((s) => s.resource) ? 'Has prohibited field Resource' : 'Missing required field Principal');
  }
});

test('the seed policy without Version is valid inline but "must be version 2012-10-17 or greater" as a managed policy (MOTO)', () => {
  for (const [where, text] of SEED_INLINE_POLICIES) {
    assert.deepEqual(validatePolicy(text, 'identity', { inline: true }), { valid: true }, where);
    assertRejected('identity', text, 'Policy document must be version 2012-10-17 or greater.');
    assertRejected('boundary', text, 'Policy document must be version 2012-10-17 or greater.');
  }
});

test('the seed SCP is a valid SCP (orgs_manage_policies_scps_syntax.html)', () => {
  for (const [where, text] of SEED_SCPS) assert.deepEqual(validatePolicy(text, 'scp'), { valid: true }, where);
});

test('seed templates are refused as "Invalid principal in policy" until their placeholders are filled (reference_policies_elements_principal.html)', () => {
  const expected = [
    'Invalid principal in policy: "FEDERATED":"<OIDC-provider-ARN>"',
    'Invalid principal in policy: "FEDERATED":"arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/${OIDC_PROVIDER}"',
    'Invalid principal in policy: "FEDERATED":"arn:aws:iam::123456789:oidc-provider/oidc.eks.us-east-1.amazonaws.com/..."',
    'Invalid principal in policy: "AWS":"arn:aws:iam::ACCOUNT-A-ID:role/deployment-role"',
  ];
  SEED_TEMPLATES.forEach(([, text], i) => assertRejected('trust', text, expected[i]!));
  const provider = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC';
  const filled = SEED_TEMPLATES.map(([, text]) =>
    text
      .replace('<OIDC-provider-ARN>', provider)
      .replace('arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/${OIDC_PROVIDER}', provider)
      .replace('123456789:', '111122223333:')
      .replace('ACCOUNT-A-ID', '444455556666'),
  );
  for (const text of filled) assertValid('trust', text);
});

// Version ---------------------------------------------------------------------------------------------

test('"Policy document must be version 2012-10-17 or greater." for managed policies without Version or with 2008-10-17 (MOTO; Meteor-CollectionFS#630)', () => {
  for (const kind of ['identity', 'boundary'] as const) {
    assertRejected(kind, { Statement: listBucket }, 'Policy document must be version 2012-10-17 or greater.');
    assertRejected(kind, { Version: '2008-10-17', Statement: listBucket }, 'Policy document must be version 2012-10-17 or greater.');
  }
});

test('the Version check precedes legacy parsing for managed policies (MOTO)', () => {
  assertRejected('identity', { Statement: { ...listBucket, Effect: 'denY' } }, 'Policy document must be version 2012-10-17 or greater.');
  assertRejected('identity', { Statement: [{ ...listBucket, Sid: 'sdf' }, { Sid: 'sdf', Effect: 'Allow' }] }, 'Policy document must be version 2012-10-17 or greater.');
  assertRejected('identity', { Version: V, Statement: { ...listBucket, Effect: 'denY' } }, 'The policy failed legacy parsing');
});

test('inline identity, trust, resource, session and SCP documents may omit Version (reference_policies_elements_version.html)', () => {
  assertValid('identity', { Statement: listBucket }, { inline: true });
  assertValid('identity', { Version: '2008-10-17', Statement: listBucket }, { inline: true });
  assertValid('trust', { Statement: assumeByEc2 });
  assertValid('resource', { Version: '2008-10-17', Statement: bucketRead });
  assertValid('session', { Statement: listBucket });
  assertValid('scp', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
});

// Identity-like kinds -----------------------------------------------------------------------------------

test('"Policy document should not specify a principal." for identity, boundary and session policies (hashicorp/terraform-provider-aws#10419; ember-cli-deploy/ember-cli-deploy-s3#65)', () => {
  for (const kind of ['identity', 'boundary', 'session'] as const) {
    assertRejected(kind, { Version: V, Statement: { ...listBucket, Principal: '*' } }, 'Policy document should not specify a principal.');
    assertRejected(kind, { Version: V, Statement: { ...listBucket, Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } } }, 'Policy document should not specify a principal.');
  }
});

test('"Statement IDs (SID) must be alpha-numeric..." for IAM policies; resource policies may use other characters (Wolox/carthage_cache#22; cfn-lint#1376; thinkinglabs/aws-iam-policy#5)', () => {
  const message = 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
  assertRejected('identity', { Version: V, Statement: { ...listBucket, Sid: 'autogenerated-id' } }, message);
  assertRejected('boundary', { Version: V, Statement: { ...listBucket, Sid: 'Space Space' } }, message);
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Sid: 'trust_ec2' } }, message);
  assertValid('resource', { Version: V, Statement: { ...bucketRead, Sid: 'Allow read for account' } });
});

test('"Statement IDs (SID) in a single policy must be unique." for every kind (MOTO)', () => {
  const message = 'Statement IDs (SID) in a single policy must be unique.';
  assertRejected('identity', { Version: V, Statement: [{ ...listBucket, Sid: 'A' }, { ...listBucket, Sid: 'A' }] }, message);
  assertRejected('trust', { Version: V, Statement: [{ ...assumeByEc2, Sid: 'A' }, { ...assumeByEc2, Sid: 'A' }] }, message);
  assertRejected('resource', { Version: V, Statement: [{ ...bucketRead, Sid: 'A' }, { ...bucketRead, Sid: 'A' }] }, message);
});

test('"Policy statement must contain resources." for every kind but trust (MOTO; terraform-aws-modules/terraform-aws-iam#364; hashicorp/terraform#17987)', () => {
  const message = 'Policy statement must contain resources.';
  for (const kind of ['identity', 'boundary', 'session'] as const) {
    assertRejected(kind, { Version: V, Statement: { Effect: 'Allow', Action: 's3:ListBucket' } }, message);
    assertRejected(kind, { Version: V, Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: [] } }, message);
  }
  assertRejected('resource', { Version: V, Statement: { ...bucketRead, Resource: undefined } }, message);
  assertValid('trust', { Version: V, Statement: assumeByEc2 });
});

test('"Policy statement must contain actions." for every kind (MOTO)', () => {
  assertRejected('identity', { Version: V, Statement: { Effect: 'Allow', Resource: '*' } }, 'Policy statement must contain actions.');
  assertRejected('trust', { Version: V, Statement: { Effect: 'Allow', Principal: '*' } }, 'Policy statement must contain actions.');
});

test('resource and action format messages apply to every kind that has them (MOTO)', () => {
  assertRejected('session', { Version: V, Statement: { ...listBucket, Resource: 'bucket' } }, 'Resource bucket must be in ARN format or "*".');
  assertRejected('resource', { Version: V, Statement: { ...bucketRead, Action: 'GetObject' } }, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  assertRejected('boundary', { Version: V, Statement: { ...listBucket, Resource: 'arn:aws-x:s3:::b' } }, 'Partition "aws-x" is not valid for resource "arn:aws-x:s3:::b".');
});

// Trust policies -----------------------------------------------------------------------------------------

test('"This policy contains invalid Json" for a trust policy that is not JSON (AWSCookbook/Security#2; brendanhay/amazonka#434)', () => {
  assertRejected('trust', 'assume-role-policy.json', 'This policy contains invalid Json');
  assertRejected('trust', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",}]}', 'This policy contains invalid Json');
  assertRejected('identity', 'assume-role-policy.json', 'Syntax errors in policy.');
});

test('"Could not parse the policy: Statement is empty!" for a trust policy with no statements (VERSITY)', () => {
  assertRejected('trust', { Version: V, Statement: [] }, 'Could not parse the policy: Statement is empty!');
  assertRejected('identity', { Version: V, Statement: [] }, 'Syntax errors in policy.');
});

test('"Has prohibited field Resource" and "AssumeRole policy must not contain resources." (kubernetes-sigs/external-dns#3085; VERSITY)', () => {
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Resource: '*' } }, 'Has prohibited field Resource');
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, NotResource: '*' } }, 'AssumeRole policy must not contain resources.');
});

test('"Allow with NotPrincipal is not allowed." for trust and resource policies (VERSITY; reference_policies_elements_notprincipal.html)', () => {
  assertRejected('trust', { Version: V, Statement: { Effect: 'Allow', NotPrincipal: { AWS: '*' }, Action: 'sts:AssumeRole' } }, 'Allow with NotPrincipal is not allowed.');
  assertRejected('resource', { Version: V, Statement: { ...bucketRead, Principal: undefined, NotPrincipal: { AWS: '111122223333' } } }, 'Allow with NotPrincipal is not allowed.');
});

test('NotPrincipal with Deny: valid in resource policies, prohibited in trust policies (reference_policies_elements_notprincipal.html; wording unconfirmed)', () => {
  const denyOthers = { Effect: 'Deny', NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/Bob'] }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' };
  assertValid('resource', { Version: V, Statement: [bucketRead, denyOthers] });
  assertRejected('trust', { Version: V, Statement: [assumeByEc2, { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] }, 'Has prohibited field NotPrincipal');
});

test('"Missing required field Principal" for trust and resource policies (VERSITY; humanmade/S3-Uploads#191)', () => {
  assertRejected('trust', { Version: V, Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } }, 'Missing required field Principal');
  assertRejected('resource', { Version: V, Statement: listBucket }, 'Missing required field Principal');
});

test('"Missing required field Principal cannot be empty!" and "...a statement with no principals!" (VERSITY; terraform-aws-modules/terraform-aws-iam#47)', () => {
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Principal: {} } }, 'Missing required field Principal cannot be empty!');
  assertRejected(
    'trust',
    { Version: V, Statement: { ...assumeByEc2, Principal: { AWS: [] } } },
    'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
  );
});

test('"AssumeRole policy may only specify STS AssumeRole actions." (VERSITY; reference_policies_elements_principal.html)', () => {
  for (const action of ['*', 's3:GetObject', ['sts:AssumeRole', 'iam:PassRole'], 'sts:GetCallerIdentity', ['sts:AssumeRole', 'sts:TagSessions'], 'sts:Get*']) {
    assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Action: action } }, 'AssumeRole policy may only specify STS AssumeRole actions.');
  }
  assertValid('trust', { Version: V, Statement: { ...assumeByEc2, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'] } });
  assertValid('trust', { Version: V, Statement: { ...assumeByEc2, Action: ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'STS:assumerole'] } });
  assertValid('trust', { Version: V, Statement: { ...assumeByEc2, Action: ['sts:*', 'sts:Assume*'] } });
});

test('"Invalid principal in policy" names the principal as IAM does (opstrace/opstrace#88; aws-samples/aws-cdk-examples#801)', () => {
  const trust = (principal: object) => ({ Version: V, Statement: { ...assumeByEc2, Principal: principal } });
  assertRejected('trust', trust({ AWS: 'not-an-account' }), 'Invalid principal in policy: "AWS":"not-an-account"');
  assertRejected('trust', trust({ Service: 'amazonaws.com' }), 'Invalid principal in policy: "SERVICE":"amazonaws.com"');
  assertRejected('trust', trust({ AWS: 'arn:aws:s3:::bucket' }), 'Invalid principal in policy: "AWS":"arn:aws:s3:::bucket"');
});

test('a wildcard cannot match part of a principal ARN (reference_policies_elements_principal.html)', () => {
  for (const principal of ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::*:root', 'arn:aws:sts::111122223333:assumed-role/r/*']) {
    assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Principal: { AWS: principal } } }, `Invalid principal in policy: "AWS":"${principal}"`);
  }
});

test('principals IAM accepts in trust policies (reference_policies_elements_principal.html)', () => {
  const principals = [
    '*',
    { AWS: '*' },
    { AWS: '111122223333' },
    { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/path/bob', 'arn:aws:iam::111122223333:role/r'] },
    { AWS: ['arn:aws:sts::111122223333:assumed-role/r/session', 'arn:aws:sts::111122223333:federated-user/u'] },
    { AWS: 'arn:aws-cn:iam::111122223333:root' },
    { Service: ['ec2.amazonaws.com', 'states.us-east-1.amazonaws.com', 'ec2.amazonaws.com.cn'] },
    { Federated: ['accounts.google.com', 'cognito-identity.amazonaws.com', 'arn:aws:iam::111122223333:saml-provider/Okta'] },
  ];
  for (const principal of principals) assertValid('trust', { Version: V, Statement: { ...assumeByEc2, Principal: principal } });
});

test('CanonicalUser principals are for bucket policies, not trust policies (reference_policies_elements_principal.html; label unconfirmed)', () => {
  const canonical = 'a'.repeat(64);
  assertValid('resource', { Version: V, Statement: { ...bucketRead, Principal: { CanonicalUser: canonical } } });
  assertValid('resource', { Version: V, Statement: { ...bucketRead, Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL' } } });
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Principal: { CanonicalUser: canonical } } }, `Invalid principal in policy: "CANONICAL_USER":"${canonical}"`);
});

test('legacy parsing applies to trust policies too (MOTO)', () => {
  assertRejected('trust', { Version: V, Statement: { ...assumeByEc2, Effect: 'allow' } }, 'The policy failed legacy parsing');
});

// SCPs and RCPs ---------------------------------------------------------------------------------------------

test('SCPs: no Principal or NotPrincipal; other problems also get Organizations\' one sentence (org-formation/org-formation-cli#225; orgs_manage_policies_scps_syntax.html)', () => {
  assertRejected('scp', { Version: V, Statement: { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' } }, ORGANIZATIONS);
  assertRejected('scp', { Version: V, Statement: { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: '*', Resource: '*' } }, ORGANIZATIONS);
  assertRejected('scp', 'not json', ORGANIZATIONS);
  assertRejected('scp', { Version: V, Statement: { Effect: 'Deny', Action: 'RunInstances', Resource: '*' } }, ORGANIZATIONS);
});

test('SCPs take the full IAM language: Allow with NotAction, NotResource and Condition (orgs_manage_policies_scps_syntax.html)', () => {
  assertValid('scp', {
    Version: V,
    Statement: { Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
  });
});

test('RCPs: RCPFullAWSAccess and Deny statements with "Principal": "*" are valid (orgs_manage_policies_rcps_syntax.html)', () => {
  assertValid('rcp', { Version: V, Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
  assertValid('rcp', {
    Version: V,
    Statement: {
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
      Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-123' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    },
  });
});

test('RCPs: custom Allow, a Principal other than "*", NotPrincipal, NotAction, unsupported services and a missing Version are refused (orgs_manage_policies_rcps_syntax.html)', () => {
  const deny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
  const refused = [
    { Version: V, Statement: { ...deny, Effect: 'Allow', Condition: { Bool: { 'aws:SecureTransport': 'false' } } } },
    { Version: V, Statement: { ...deny, Principal: { AWS: '111122223333' } } },
    { Version: V, Statement: { ...deny, Principal: undefined, NotPrincipal: { AWS: '111122223333' } } },
    { Version: V, Statement: { ...deny, Action: undefined, NotAction: 's3:GetObject' } },
    { Version: V, Statement: { ...deny, Action: 'ec2:RunInstances' } },
    { Statement: deny },
  ];
  for (const document of refused) assertRejected('rcp', document, ORGANIZATIONS);
});

// checkPolicyKind ---------------------------------------------------------------------------------------------

test('checkPolicyKind throws MalformedPolicyDocumentError for a parsed document that is wrong for its kind (access_policies.html)', () => {
  const document = parsePolicy({ Version: V, Statement: assumeByEc2 });
  assert.doesNotThrow(() => checkPolicyKind(document, 'trust'));
  assert.throws(() => checkPolicyKind(document, 'identity'), (e: unknown) => e instanceof MalformedPolicyDocumentError && e.message === 'Policy document should not specify a principal.');
});

test('checkPolicyKind applies the Version rule of stored managed policies only when asked: older stored policies still evaluate (reference_policies_elements_version.html; MOTO)', () => {
  const versionless = parsePolicy({ Statement: listBucket });
  assert.doesNotThrow(() => checkPolicyKind(versionless, 'identity'));
  assert.doesNotThrow(() => checkPolicyKind(versionless, 'boundary'));
  for (const kind of ['identity', 'boundary'] as const) {
    assert.throws(
      () => checkPolicyKind(versionless, kind, { managed: true }),
      (e: unknown) => e instanceof MalformedPolicyDocumentError && e.message === 'Policy document must be version 2012-10-17 or greater.',
    );
  }
  assert.throws(() => checkPolicyKind(versionless, 'rcp'), MalformedPolicyDocumentError);
});

// Sizes ---------------------------------------------------------------------------------------------------------

/** A trust policy whose compact JSON is exactly `size` characters. */
function trustPolicyOfSize(size: number): string {
  const base = JSON.stringify({ Version: V, Statement: [{ Sid: '', ...assumeByEc2 }] });
  return JSON.stringify({ Version: V, Statement: [{ Sid: 'x'.repeat(size - base.length), ...assumeByEc2 }] });
}

/** An identity policy whose compact JSON is exactly `size` characters. */
function identityPolicyOfSize(size: number): string {
  const base = JSON.stringify({ Version: V, Statement: [{ Sid: '', ...listBucket }] });
  return JSON.stringify({ Version: V, Statement: [{ Sid: 'x'.repeat(size - base.length), ...listBucket }] });
}

test('"Cannot exceed quota for ACLSizePerRole: 2048" for trust policies, white space not counted (VERSITY; cloudposse terraform-aws-components README; reference_iam-quotas.html)', () => {
  assertValid('trust', trustPolicyOfSize(2048));
  assert.deepEqual(validatePolicy(trustPolicyOfSize(2049), 'trust'), {
    valid: false,
    error: { code: 'LimitExceeded', message: 'Cannot exceed quota for ACLSizePerRole: 2048' },
  });
  const spaced = JSON.stringify(JSON.parse(trustPolicyOfSize(2048)), null, 8);
  assert.ok(spaced.length > 2048);
  assertValid('trust', spaced);
});

test('"Cannot exceed quota for PolicySize: 6144" for managed and boundary policies (docker/docs#5815; aws-cloudformation/cfn-lint#3871)', () => {
  for (const kind of ['identity', 'boundary'] as const) {
    assertValid(kind, identityPolicyOfSize(6144));
    assert.deepEqual(validatePolicy(identityPolicyOfSize(6145), kind), {
      valid: false,
      error: { code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' },
    });
  }
  assertValid('identity', identityPolicyOfSize(6145), { inline: true });
  assert.deepEqual(validatePolicy(identityPolicyOfSize(6145), 'identity', { checkSize: false }), { valid: true });
});

test('LimitExceeded is HTTP 409 and thrown by checkPolicySize (reference_iam-quotas.html)', () => {
  assert.throws(() => checkPolicySize(trustPolicyOfSize(3000), 'trust'), (e: unknown) => e instanceof LimitExceededError && e.httpStatus === 409);
  assert.doesNotThrow(() => checkPolicySize(trustPolicyOfSize(3000), 'resource'));
});

test('SCPs and RCPs count every character: "You have exceeded the maximum policy size." (aws-samples/aws-secure-environment-accelerator#1092; awslabs/aws-deployment-framework#380; orgs_reference_limits.html)', () => {
  const ofSize = (size: number, statement: object) => {
    const base = JSON.stringify({ Version: V, Statement: [{ Sid: '', ...statement }] });
    return JSON.stringify({ Version: V, Statement: [{ Sid: 'x'.repeat(size - base.length), ...statement }] });
  };
  const tooBig = { valid: false, error: { code: 'ConstraintViolationException', message: 'You have exceeded the maximum policy size.' } };
  const scpStatement = { Effect: 'Deny', Action: 's3:*', Resource: '*' };
  const rcpStatement = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
  assertValid('scp', ofSize(10240, scpStatement));
  assert.deepEqual(validatePolicy(ofSize(10241, scpStatement), 'scp'), tooBig);
  assertValid('rcp', ofSize(5120, rcpStatement));
  assert.deepEqual(validatePolicy(ofSize(5120, rcpStatement).replace('{', '{ '), 'rcp'), tooBig);
});

test('inline session policies are limited to 2,048 characters of plaintext (API_AssumeRole.html; ValidationError wording unconfirmed)', () => {
  const policy = identityPolicyOfSize(2048);
  assertValid('session', policy);
  const result = validatePolicy(policy.replace('{', '{ '), 'session');
  assert.equal(result.valid, false);
  assert.ok(!result.valid && result.error.code === 'ValidationError' && result.error.message.endsWith('Member must have length less than or equal to 2048'));
});

test('policySizeWithoutWhitespace counts what IAM charges for (reference_iam-quotas.html)', () => {
  assert.equal(policySizeWithoutWhitespace('{ "a" :\n\t"b c" }\r\n'), 10);
  assert.equal(policySizeWithoutWhitespace(''), 0);
});

test('validatePolicy reports AwsErrors as results and never throws them', () => {
  const result = validatePolicy('{', 'identity');
  assert.deepEqual(result, { valid: false, error: { code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' } });
  assert.ok(new MalformedPolicyDocumentError('x') instanceof AwsError);
});
