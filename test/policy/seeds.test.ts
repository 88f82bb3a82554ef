// The policies printed in the seed documents (../shared/seeds/*.txt), copied here as literals, decide as
// the seeds say — and, where a seed is loose, as AWS's documentation says. Template placeholders
// (<OIDC-provider-ARN>, ${CLUSTER_ID}, ACCOUNT-A-ID, "oidc.eks.../sub") are filled in as the seeds'
// own instructions describe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, evaluate, validatePolicy } from '../../src/policy/index.js';
import type { AuthorizationRequest, Decision, EvaluationInput, PolicyInput, StatementRef } from '../../src/policy/types.js';

const EVAL = 'reference_policies_evaluation-logic.html';
const DENY_EVAL = 'reference_policies_evaluation-logic_policy-eval-denyallow.html';
const CROSS = 'reference_policies_evaluation-logic-cross-account.html';
const IRSA = 'eks iam-roles-for-service-accounts.html; id_roles_create_for-idp_oidc.html';
const CONDITIONS = 'reference_policies_elements_condition_operators.html';
const SCP = 'orgs_manage_policies_scps_evaluation.html';
const EXTERNAL_ID = 'id_roles_create_for-user_externalid.html';

function asPolicy(document: object): PolicyInput {
  return { document };
}

function decide(input: EvaluationInput): Decision {
  return evaluate(input).decision;
}

function hasDecisive(refs: StatementRef[], expected: Partial<StatementRef>): boolean {
  return refs.some((ref) => Object.entries(expected).every(([key, value]) => (ref as unknown as Record<string, unknown>)[key] === value));
}

/** A web-identity AssumeRole request from an OIDC provider, as STS evaluates the role's trust policy. */
function webIdentity(provider: string, roleArn: string, claims: Record<string, string>): AuthorizationRequest {
  return { principal: provider, action: 'sts:AssumeRoleWithWebIdentity', resource: roleArn, context: claims };
}

function trustDecision(trust: object, request: AuthorizationRequest, more: Partial<EvaluationInput> = {}): Decision {
  return decide({ request, resourcePolicy: asPolicy(trust), resourcePolicyKind: 'trust', ...more });
}

// ===================================================================================================
// 000 — platform role inventory
// ===================================================================================================

const POD_IDENTITY_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};

const APP_ACCOUNT = '111122223333';
const APP_ROLE = `arn:aws:iam::${APP_ACCOUNT}:role/aoscloud-prod-app`;

test(`000 Pod Identity trust: pods.eks.amazonaws.com may AssumeRole and TagSession (reference_policies_elements_principal.html#principal-services; eks pod-identities.html)`, () => {
  const request = (action: string): AuthorizationRequest => ({ principal: 'pods.eks.amazonaws.com', action, resource: APP_ROLE });
  assert.equal(trustDecision(POD_IDENTITY_TRUST, request('sts:AssumeRole')), 'Allow');
  assert.equal(trustDecision(POD_IDENTITY_TRUST, request('sts:TagSession')), 'Allow');
});

test(`000 Pod Identity trust: no other service, no IAM user, no web identity (reference_policies_elements_principal.html#principal-services)`, () => {
  assert.equal(trustDecision(POD_IDENTITY_TRUST, { principal: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resource: APP_ROLE }), 'ImplicitDeny');
  const user = `arn:aws:iam::${APP_ACCOUNT}:user/dev`;
  const fullAccess = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  assert.equal(trustDecision(POD_IDENTITY_TRUST, { principal: user, action: 'sts:AssumeRole', resource: APP_ROLE }, { identityPolicies: [fullAccess] }), 'ImplicitDeny');
  assert.equal(trustDecision(POD_IDENTITY_TRUST, { principal: 'pods.eks.amazonaws.com', action: 'sts:AssumeRoleWithWebIdentity', resource: APP_ROLE }), 'ImplicitDeny');
});

const AOS_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const AOS_PROVIDER = `arn:aws:iam::${APP_ACCOUNT}:oidc-provider/${AOS_ISSUER}`;

/** 000's IRSA pattern with <OIDC-provider-ARN>, <OIDC-issuer-URL> and <service-account-name> filled in. */
const IRSA_WILDCARD_NAMESPACE_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: AOS_PROVIDER },
      Condition: {
        StringLike: { [`${AOS_ISSUER}:sub`]: 'system:serviceaccount:*:aoscloud-prod-app' },
      },
    },
  ],
};

/** The production hardening 000 recommends: StringEquals and a specific namespace. */
const IRSA_HARDENED_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: AOS_PROVIDER },
      Condition: {
        StringEquals: { [`${AOS_ISSUER}:sub`]: 'system:serviceaccount:prod:aoscloud-prod-app' },
      },
    },
  ],
};

function aosPod(sub: string): AuthorizationRequest {
  return webIdentity(AOS_PROVIDER, APP_ROLE, { [`${AOS_ISSUER}:sub`]: sub, [`${AOS_ISSUER}:aud`]: 'sts.amazonaws.com' });
}

test(`000 IRSA StringLike "system:serviceaccount:*:<sa>": the service account works in any namespace (${CONDITIONS}#Conditions_String; ${IRSA})`, () => {
  assert.equal(trustDecision(IRSA_WILDCARD_NAMESPACE_TRUST, aosPod('system:serviceaccount:prod:aoscloud-prod-app')), 'Allow');
  assert.equal(trustDecision(IRSA_WILDCARD_NAMESPACE_TRUST, aosPod('system:serviceaccount:dev:aoscloud-prod-app')), 'Allow');
});

test(`000 IRSA StringLike: another service account name does not match (${CONDITIONS}#Conditions_String)`, () => {
  assert.equal(trustDecision(IRSA_WILDCARD_NAMESPACE_TRUST, aosPod('system:serviceaccount:prod:aoscloud-prod-task')), 'ImplicitDeny');
});

test(`000 IRSA StringLike matches the whole value: a longer service account name does not match (${CONDITIONS}#Conditions_String)`, () => {
  assert.equal(trustDecision(IRSA_WILDCARD_NAMESPACE_TRUST, aosPod('system:serviceaccount:prod:aoscloud-prod-app-admin')), 'ImplicitDeny');
});

test(`000 IRSA: a token without a sub claim does not match the condition (${CONDITIONS}#Conditions_String)`, () => {
  assert.equal(trustDecision(IRSA_WILDCARD_NAMESPACE_TRUST, webIdentity(AOS_PROVIDER, APP_ROLE, {})), 'ImplicitDeny');
});

test(`000 IRSA hardened StringEquals: only the named namespace may assume the role (cross-namespace impersonation prevented) (${CONDITIONS}#Conditions_String)`, () => {
  assert.equal(trustDecision(IRSA_HARDENED_TRUST, aosPod('system:serviceaccount:prod:aoscloud-prod-app')), 'Allow');
  assert.equal(trustDecision(IRSA_HARDENED_TRUST, aosPod('system:serviceaccount:dev:aoscloud-prod-app')), 'ImplicitDeny');
});

test(`000 IRSA StringEquals takes no wildcards: a "*" namespace in the policy is literal (${CONDITIONS}#Conditions_String)`, () => {
  const literalStar = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: AOS_PROVIDER },
        Condition: { StringEquals: { [`${AOS_ISSUER}:sub`]: 'system:serviceaccount:*:aoscloud-prod-app' } },
      },
    ],
  };
  assert.equal(trustDecision(literalStar, aosPod('system:serviceaccount:prod:aoscloud-prod-app')), 'ImplicitDeny');
});

/** 000's cluster-autoscaler policy, no Version as printed, with ${CLUSTER_ID} rendered to the cluster name. */
const CLUSTER_ID = 'aoscloud-prod';
const CLUSTER_AUTOSCALER_POLICY = {
  Statement: [
    {
      Sid: 'clusterAutoscalerAll',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeTags',
        'autoscaling:SetDesiredCapacity',
        'autoscaling:TerminateInstanceInAutoScalingGroup',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeImages',
        'ec2:GetInstanceTypesFromInstanceRequirements',
        'eks:DescribeNodegroup',
      ],
      Resource: '*',
    },
    {
      Sid: 'clusterAutoscalerOwn',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
      Resource: '*',
      Condition: {
        StringEquals: {
          [`autoscaling:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER_ID}`]: 'owned',
          'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
        },
      },
    },
  ],
};

/**
 * Printed without a Version, the policy can only be an inline policy (AWS rejects a managed one, see the
 * test below); compiled without a kind it is evaluated as such.
 */
const CLUSTER_AUTOSCALER_INLINE = compilePolicy(CLUSTER_AUTOSCALER_POLICY, { name: 'cluster-autoscaler' });

const AUTOSCALER_SESSION = `arn:aws:sts::${APP_ACCOUNT}:assumed-role/${CLUSTER_ID}-autoscaling-role/botocore-session-1`;
const ASG = `arn:aws:autoscaling:us-east-1:${APP_ACCOUNT}:autoScalingGroup:6d4f1b2a-1111-2222-3333-444455556666:autoScalingGroupName/${CLUSTER_ID}-ng-1`;
const OWNED_TAGS = {
  [`autoscaling:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER_ID}`]: 'owned',
  'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
};

function autoscaler(action: string, context: AuthorizationRequest['context'] = {}) {
  return evaluate({ request: { principal: AUTOSCALER_SESSION, action, resource: ASG, context }, identityPolicies: [CLUSTER_AUTOSCALER_INLINE] });
}

test(`000 cluster autoscaler policy as printed (no Version) is rejected as a managed policy but accepted inline (reference_policies_elements_version.html; access_policies_managed-vs-inline.html)`, () => {
  const managed = validatePolicy(CLUSTER_AUTOSCALER_POLICY, 'identity');
  assert.equal(managed.valid, false);
  if (!managed.valid) assert.equal(managed.error.code, 'MalformedPolicyDocument');
  assert.deepEqual(validatePolicy(CLUSTER_AUTOSCALER_POLICY, 'identity', { inline: true }), { valid: true });
  assert.deepEqual(validatePolicy({ Version: '2012-10-17', ...CLUSTER_AUTOSCALER_POLICY }, 'identity'), { valid: true });
});

test(`000 cluster autoscaler: UpdateAutoScalingGroup on a group tagged owned+enabled for this cluster → Allow (${CONDITIONS}; reference_policies_condition-keys.html#condition-keys-resourcetag)`, () => {
  const result = autoscaler('autoscaling:UpdateAutoScalingGroup', OWNED_TAGS);
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { policyType: 'identity', sid: 'clusterAutoscalerOwn' }));
});

test(`000 cluster autoscaler: UpdateAutoScalingGroup on a group owned by another cluster → ImplicitDeny (${CONDITIONS})`, () => {
  const otherCluster = { 'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/aoscloud-staging': 'owned', 'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true' };
  assert.equal(autoscaler('autoscaling:UpdateAutoScalingGroup', otherCluster).decision, 'ImplicitDeny');
});

test(`000 cluster autoscaler: both tag conditions must hold (keys are ANDed): enabled=false → ImplicitDeny (reference_policies_multi-value-conditions.html)`, () => {
  const disabled = { ...OWNED_TAGS, 'autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'false' };
  assert.equal(autoscaler('autoscaling:UpdateAutoScalingGroup', disabled).decision, 'ImplicitDeny');
});

test(`000 cluster autoscaler: StringEquals on tag values is case-sensitive ("Owned" ≠ "owned") (${CONDITIONS}#Conditions_String)`, () => {
  const capitalized = { ...OWNED_TAGS, [`autoscaling:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER_ID}`]: 'Owned' };
  assert.equal(autoscaler('autoscaling:UpdateAutoScalingGroup', capitalized).decision, 'ImplicitDeny');
});

test(`000 cluster autoscaler: condition key names (tag keys included) match case-insensitively (reference_policies_elements_condition.html)`, () => {
  const lowerCasedKeys = {
    [`autoscaling:resourcetag/K8S.IO/cluster-autoscaler/${CLUSTER_ID}`]: 'owned',
    'AUTOSCALING:ResourceTag/k8s.io/Cluster-Autoscaler/ENABLED': 'true',
  };
  assert.equal(autoscaler('autoscaling:UpdateAutoScalingGroup', lowerCasedKeys).decision, 'Allow');
});

test(`000 cluster autoscaler: an untagged group is implicitly denied UpdateAutoScalingGroup and the missing tag keys are reported (${CONDITIONS})`, () => {
  const result = autoscaler('autoscaling:UpdateAutoScalingGroup');
  assert.equal(result.decision, 'ImplicitDeny');
  const missing = result.missingContextKeys.map((k) => k.toLowerCase());
  assert.ok(missing.includes(`autoscaling:resourcetag/k8s.io/cluster-autoscaler/${CLUSTER_ID}`));
  assert.ok(missing.includes('autoscaling:resourcetag/k8s.io/cluster-autoscaler/enabled'));
});

test(`000 cluster autoscaler: SetDesiredCapacity is allowed on any group, because the unconditioned first statement also lists it (allows are a union, ${EVAL})`, () => {
  const result = autoscaler('autoscaling:SetDesiredCapacity');
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { sid: 'clusterAutoscalerAll' }));
});

test(`000 cluster autoscaler: the read-only Describe actions are allowed on "*" (reference_policies_elements_action.html)`, () => {
  assert.equal(autoscaler('autoscaling:DescribeAutoScalingGroups').decision, 'Allow');
  assert.equal(decide({ request: { principal: AUTOSCALER_SESSION, action: 'eks:DescribeNodegroup', resource: '*' }, identityPolicies: [CLUSTER_AUTOSCALER_INLINE] }), 'Allow');
});

test(`000 cluster autoscaler: actions outside the policy (ec2:RunInstances, autoscaling:DeleteAutoScalingGroup) → ImplicitDeny (${DENY_EVAL})`, () => {
  assert.equal(autoscaler('autoscaling:DeleteAutoScalingGroup', OWNED_TAGS).decision, 'ImplicitDeny');
  assert.equal(decide({ request: { principal: AUTOSCALER_SESSION, action: 'ec2:RunInstances', resource: '*' }, identityPolicies: [CLUSTER_AUTOSCALER_INLINE] }), 'ImplicitDeny');
});

test(`000 permission boundary on every role: the boundary caps what attached policies grant (access_policies_boundaries.html)`, () => {
  const boundary = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['autoscaling:Describe*', 'ec2:Describe*', 'eks:Describe*'], Resource: '*' }] });
  const withBoundary = (action: string) =>
    decide({ request: { principal: AUTOSCALER_SESSION, action, resource: ASG, context: OWNED_TAGS }, identityPolicies: [CLUSTER_AUTOSCALER_INLINE], permissionsBoundary: boundary });
  assert.equal(withBoundary('autoscaling:DescribeAutoScalingGroups'), 'Allow');
  assert.equal(withBoundary('autoscaling:UpdateAutoScalingGroup'), 'ImplicitDeny');
});

// ===================================================================================================
// 001 — the Kubernetes operator's IRSA role and example roles
// ===================================================================================================

const OPERATOR_ACCOUNT = '123456789012';
const OPERATOR_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const OPERATOR_PROVIDER = `arn:aws:iam::${OPERATOR_ACCOUNT}:oidc-provider/${OPERATOR_ISSUER}`;
const OPERATOR_ROLE = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/infra-operator-iam-role`;

const OPERATOR_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:infra-operator-system:infra-operator-controller-manager',
          'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
        },
      },
    },
  ],
};

function operatorToken(sub: string, aud?: string): AuthorizationRequest {
  const claims: Record<string, string> = { [`${OPERATOR_ISSUER}:sub`]: sub };
  if (aud !== undefined) claims[`${OPERATOR_ISSUER}:aud`] = aud;
  return webIdentity(OPERATOR_PROVIDER, OPERATOR_ROLE, claims);
}

const OPERATOR_SUB = 'system:serviceaccount:infra-operator-system:infra-operator-controller-manager';

test(`001 operator IRSA trust: the controller-manager token with aud sts.amazonaws.com → Allow (${IRSA})`, () => {
  assert.equal(trustDecision(OPERATOR_TRUST, operatorToken(OPERATOR_SUB, 'sts.amazonaws.com')), 'Allow');
});

test(`001 operator IRSA trust: the same service account name in another namespace → ImplicitDeny (${IRSA})`, () => {
  assert.equal(trustDecision(OPERATOR_TRUST, operatorToken('system:serviceaccount:default:infra-operator-controller-manager', 'sts.amazonaws.com')), 'ImplicitDeny');
});

test(`001 operator IRSA trust: another service account in the operator's namespace → ImplicitDeny (${IRSA})`, () => {
  assert.equal(trustDecision(OPERATOR_TRUST, operatorToken('system:serviceaccount:infra-operator-system:default', 'sts.amazonaws.com')), 'ImplicitDeny');
});

test(`001 operator IRSA trust: wrong audience → ImplicitDeny (${IRSA})`, () => {
  assert.equal(trustDecision(OPERATOR_TRUST, operatorToken(OPERATOR_SUB, `https://${OPERATOR_ISSUER}`)), 'ImplicitDeny');
});

test(`001 operator IRSA trust: missing audience → ImplicitDeny (StringEquals on a missing key is false, ${CONDITIONS})`, () => {
  assert.equal(trustDecision(OPERATOR_TRUST, operatorToken(OPERATOR_SUB)), 'ImplicitDeny');
});

test(`001 operator IRSA trust: a token from another cluster's provider → ImplicitDeny (reference_policies_elements_principal.html#principal-federated-web-identity)`, () => {
  const otherProvider = `arn:aws:iam::${OPERATOR_ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHERCLUSTER0000000000000000000`;
  const request = webIdentity(otherProvider, OPERATOR_ROLE, { [`${OPERATOR_ISSUER}:sub`]: OPERATOR_SUB, [`${OPERATOR_ISSUER}:aud`]: 'sts.amazonaws.com' });
  assert.equal(trustDecision(OPERATOR_TRUST, request), 'ImplicitDeny');
});

test(`001 operator IRSA trust allows only sts:AssumeRoleWithWebIdentity, not sts:AssumeRole (reference_policies_elements_action.html)`, () => {
  const request = { ...operatorToken(OPERATOR_SUB, 'sts.amazonaws.com'), action: 'sts:AssumeRole' };
  assert.equal(trustDecision(OPERATOR_TRUST, request), 'ImplicitDeny');
});

const OPERATOR_IAM_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRoleTags',
      ],
      Resource: '*',
    },
  ],
};

const OPERATOR_SESSION = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/infra-operator-iam-role/1700000000000000000`;

function operatorMay(action: string, resource = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/e2e/e2e-ec2-service-role`): Decision {
  return decide({ request: { principal: OPERATOR_SESSION, action, resource }, identityPolicies: [asPolicy(OPERATOR_IAM_POLICY)] });
}

test(`001 operator IAM policy: the operator may create, tag and attach policies to roles (${EVAL})`, () => {
  assert.equal(operatorMay('iam:CreateRole'), 'Allow');
  assert.equal(operatorMay('iam:AttachRolePolicy'), 'Allow');
  assert.equal(operatorMay('iam:PutRolePolicy'), 'Allow');
  assert.equal(operatorMay('iam:TagRole'), 'Allow');
});

test(`001 operator IAM policy: actions it does not list (CreateUser, PassRole, CreatePolicy) → ImplicitDeny (${DENY_EVAL})`, () => {
  assert.equal(operatorMay('iam:CreateUser', `arn:aws:iam::${OPERATOR_ACCOUNT}:user/x`), 'ImplicitDeny');
  assert.equal(operatorMay('iam:PassRole'), 'ImplicitDeny');
  assert.equal(operatorMay('iam:CreatePolicy', `arn:aws:iam::${OPERATOR_ACCOUNT}:policy/x`), 'ImplicitDeny');
});

const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
};

test(`001/004 EC2 service-role trust: ec2.amazonaws.com may assume; lambda.amazonaws.com may not (reference_policies_elements_principal.html#principal-services)`, () => {
  const role = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/e2e/e2e-ec2-service-role`;
  assert.equal(trustDecision(EC2_TRUST, { principal: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resource: role }), 'Allow');
  assert.equal(trustDecision(EC2_TRUST, { principal: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resource: role }), 'ImplicitDeny');
});

const E2E_DYNAMODB_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Resource: 'arn:aws:dynamodb:*:*:table/e2e-*',
    },
  ],
};

test(`001 CustomDynamoDBAccess: any region and account, tables named e2e-* only (reference_policies_elements_resource.html)`, () => {
  const lambda = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/e2e-lambda-execution-role/fn`;
  const may = (action: string, table: string) => decide({ request: { principal: lambda, action, resource: table }, identityPolicies: [asPolicy(E2E_DYNAMODB_POLICY)] });
  assert.equal(may('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${OPERATOR_ACCOUNT}:table/e2e-orders`), 'Allow');
  assert.equal(may('dynamodb:Query', `arn:aws:dynamodb:eu-west-1:${OPERATOR_ACCOUNT}:table/e2e-orders`), 'Allow');
  assert.equal(may('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${OPERATOR_ACCOUNT}:table/orders`), 'ImplicitDeny');
  assert.equal(may('dynamodb:DeleteItem', `arn:aws:dynamodb:us-east-1:${OPERATOR_ACCOUNT}:table/e2e-orders`), 'ImplicitDeny');
});

const APPLICATION_SERVICE_ROLE_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/other-role' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'unique-external-id' } },
    },
  ],
};

test(`001 application-service-role trust: other-role's session with the right ExternalId → Allow (${EXTERNAL_ID})`, () => {
  const role = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/service-roles/application-service-role`;
  const otherRoleSession = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/other-role/job`;
  const assume = (context: AuthorizationRequest['context']) => trustDecision(APPLICATION_SERVICE_ROLE_TRUST, { principal: otherRoleSession, action: 'sts:AssumeRole', resource: role, context });
  assert.equal(assume({ 'sts:ExternalId': 'unique-external-id' }), 'Allow');
  assert.equal(assume({ 'sts:ExternalId': 'guessed-id' }), 'ImplicitDeny');
  assert.equal(assume({}), 'ImplicitDeny');
});

test(`001 application-service-role trust: EC2 needs no ExternalId (the statements are independent) (${EVAL})`, () => {
  const role = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/service-roles/application-service-role`;
  assert.equal(trustDecision(APPLICATION_SERVICE_ROLE_TRUST, { principal: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resource: role }), 'Allow');
});

const SECRETS_PROD_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*',
    },
  ],
};

test(`001 secretsmanager-access: secrets under prod/ only (reference_policies_elements_resource.html)`, () => {
  const session = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/application-service-role/i-0abc`;
  const read = (secret: string) => decide({ request: { principal: session, action: 'secretsmanager:GetSecretValue', resource: secret }, identityPolicies: [asPolicy(SECRETS_PROD_POLICY)] });
  assert.equal(read(`arn:aws:secretsmanager:us-east-1:${OPERATOR_ACCOUNT}:secret:prod/db-password-AbCdEf`), 'Allow');
  assert.equal(read(`arn:aws:secretsmanager:us-east-1:${OPERATOR_ACCOUNT}:secret:staging/db-password-AbCdEf`), 'ImplicitDeny');
  assert.equal(read(`arn:aws:secretsmanager:us-west-2:${OPERATOR_ACCOUNT}:secret:prod/db-password-AbCdEf`), 'ImplicitDeny');
});

const CROSS_ACCOUNT_PRODUCTION_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'unique-external-id-123' } },
    },
  ],
};

const PRODUCTION_ACCESS_ROLE = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/CrossAccount-Production-Access`;
const DEV_USER = 'arn:aws:iam::111111111111:user/developer';
const MAY_ASSUME_ANY_ROLE = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });

test(`001 CrossAccount-Production-Access: a development-account user with an identity allow and the ExternalId → Allow (${CROSS}; ${EXTERNAL_ID})`, () => {
  const request = { principal: DEV_USER, action: 'sts:AssumeRole', resource: PRODUCTION_ACCESS_ROLE, context: { 'sts:ExternalId': 'unique-external-id-123' } };
  assert.equal(trustDecision(CROSS_ACCOUNT_PRODUCTION_TRUST, request, { identityPolicies: [MAY_ASSUME_ANY_ROLE] }), 'Allow');
});

test(`001 CrossAccount-Production-Access: without the ExternalId → ImplicitDeny (${EXTERNAL_ID})`, () => {
  const request = { principal: DEV_USER, action: 'sts:AssumeRole', resource: PRODUCTION_ACCESS_ROLE };
  assert.equal(trustDecision(CROSS_ACCOUNT_PRODUCTION_TRUST, request, { identityPolicies: [MAY_ASSUME_ANY_ROLE] }), 'ImplicitDeny');
});

test(`001 CrossAccount-Production-Access: the account trust delegates, so a user without sts:AssumeRole permission → ImplicitDeny (${CROSS})`, () => {
  const request = { principal: DEV_USER, action: 'sts:AssumeRole', resource: PRODUCTION_ACCESS_ROLE, context: { 'sts:ExternalId': 'unique-external-id-123' } };
  assert.equal(trustDecision(CROSS_ACCOUNT_PRODUCTION_TRUST, request), 'ImplicitDeny');
});

test(`001 CrossAccount-Production-Access: a user of a third account → ImplicitDeny (reference_policies_elements_principal.html#principal-accounts)`, () => {
  const request = { principal: 'arn:aws:iam::333333333333:user/developer', action: 'sts:AssumeRole', resource: PRODUCTION_ACCESS_ROLE, context: { 'sts:ExternalId': 'unique-external-id-123' } };
  assert.equal(trustDecision(CROSS_ACCOUNT_PRODUCTION_TRUST, request, { identityPolicies: [MAY_ASSUME_ANY_ROLE] }), 'ImplicitDeny');
});

const DEVELOPER_BOUNDARY_ROLE_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'sts:AssumeRole',
    },
  ],
};

test(`001 Developer-Boundary-Role trust names its own account: users need an identity allow to assume it (API_AssumeRole.html)`, () => {
  const request = { principal: `arn:aws:iam::${OPERATOR_ACCOUNT}:user/dev`, action: 'sts:AssumeRole', resource: `arn:aws:iam::${OPERATOR_ACCOUNT}:role/Developer-Boundary-Role` };
  assert.equal(trustDecision(DEVELOPER_BOUNDARY_ROLE_TRUST, request), 'ImplicitDeny');
  assert.equal(trustDecision(DEVELOPER_BOUNDARY_ROLE_TRUST, request, { identityPolicies: [MAY_ASSUME_ANY_ROLE] }), 'Allow');
});

const EKS_APP_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub': 'system:serviceaccount:default:app-sa' } },
    },
  ],
};

test(`001 EKS-App-ServiceAccount-Role trust checks only sub: any audience is accepted (${IRSA})`, () => {
  const provider = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123';
  const role = `arn:aws:iam::${OPERATOR_ACCOUNT}:role/EKS-App-ServiceAccount-Role`;
  const token = (sub: string, aud: string) => webIdentity(provider, role, { 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub': sub, 'oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud': aud });
  assert.equal(trustDecision(EKS_APP_TRUST, token('system:serviceaccount:default:app-sa', 'sts.amazonaws.com')), 'Allow');
  assert.equal(trustDecision(EKS_APP_TRUST, token('system:serviceaccount:default:app-sa', 'some-other-audience')), 'Allow');
  assert.equal(trustDecision(EKS_APP_TRUST, token('system:serviceaccount:kube-system:app-sa', 'sts.amazonaws.com')), 'ImplicitDeny');
});

const EKS_APP_S3_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:*'],
      Resource: 'arn:aws:s3:::eks-app-data/*',
    },
  ],
};

test(`001 EKS app s3-access: every S3 action on objects, but not on the bucket itself (reference_policies_elements_resource.html)`, () => {
  const session = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/EKS-App-ServiceAccount-Role/pod`;
  const may = (action: string, resource: string) => decide({ request: { principal: session, action, resource }, identityPolicies: [asPolicy(EKS_APP_S3_POLICY)] });
  assert.equal(may('s3:PutObject', 'arn:aws:s3:::eks-app-data/in/file.json'), 'Allow');
  assert.equal(may('s3:DeleteObject', 'arn:aws:s3:::eks-app-data/in/file.json'), 'Allow');
  assert.equal(may('s3:ListBucket', 'arn:aws:s3:::eks-app-data'), 'ImplicitDeny');
});

const S3_LIMITED_ACCESS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: 'arn:aws:s3:::my-bucket/*',
      Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
    },
  ],
};

test(`001 s3-limited-access: objects readable only from 10.0.0.0/8 (${CONDITIONS}#Conditions_IPAddress)`, () => {
  const user = `arn:aws:iam::${OPERATOR_ACCOUNT}:user/app`;
  const read = (context: AuthorizationRequest['context']) =>
    decide({ request: { principal: user, action: 's3:GetObject', resource: 'arn:aws:s3:::my-bucket/a.txt', context }, identityPolicies: [asPolicy(S3_LIMITED_ACCESS_POLICY)] });
  assert.equal(read({ 'aws:SourceIp': '10.20.30.40' }), 'Allow');
  assert.equal(read({ 'aws:SourceIp': '192.168.1.10' }), 'ImplicitDeny');
  assert.equal(read({}), 'ImplicitDeny');
});

const DATA_ACCESS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::data-bucket/*',
    },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      Resource: 'arn:aws:dynamodb:us-east-1:*:table/data',
    },
  ],
};

test(`001 lambda-data-processor data-access: the data table in us-east-1 of any account, objects of data-bucket (reference_policies_elements_resource.html)`, () => {
  const session = `arn:aws:sts::${OPERATOR_ACCOUNT}:assumed-role/lambda-data-processor/fn`;
  const may = (action: string, resource: string) => decide({ request: { principal: session, action, resource }, identityPolicies: [asPolicy(DATA_ACCESS_POLICY)] });
  assert.equal(may('dynamodb:Query', `arn:aws:dynamodb:us-east-1:${OPERATOR_ACCOUNT}:table/data`), 'Allow');
  assert.equal(may('dynamodb:Query', `arn:aws:dynamodb:us-west-2:${OPERATOR_ACCOUNT}:table/data`), 'ImplicitDeny');
  assert.equal(may('dynamodb:Query', `arn:aws:dynamodb:us-east-1:${OPERATOR_ACCOUNT}:table/data-archive`), 'ImplicitDeny');
  assert.equal(may('s3:PutObject', 'arn:aws:s3:::data-bucket/out.parquet'), 'Allow');
  assert.equal(may('s3:DeleteObject', 'arn:aws:s3:::data-bucket/out.parquet'), 'ImplicitDeny');
});

// ===================================================================================================
// 002 — cross-account IRSA: the provider is registered in both accounts
// ===================================================================================================

const CAUSELY_ISSUER = 'oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SOURCE_PROVIDER = `arn:aws:iam::111111111111:oidc-provider/${CAUSELY_ISSUER}`;
const TARGET_PROVIDER = `arn:aws:iam::222222222222:oidc-provider/${CAUSELY_ISSUER}`;

function causelyTrust(provider: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:causely:causely-mediator',
            'oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

function mediatorToken(provider: string, role: string, namespace = 'causely'): AuthorizationRequest {
  return webIdentity(provider, role, {
    [`${CAUSELY_ISSUER}:sub`]: `system:serviceaccount:${namespace}:causely-mediator`,
    [`${CAUSELY_ISSUER}:aud`]: 'sts.amazonaws.com',
  });
}

test(`002 source account: CauselyMediation trusts the cluster's provider in 111111111111 (${IRSA})`, () => {
  const role = 'arn:aws:iam::111111111111:role/CauselyMediation';
  assert.equal(trustDecision(causelyTrust(SOURCE_PROVIDER), mediatorToken(SOURCE_PROVIDER, role)), 'Allow');
});

test(`002 target account: CauselyAccess trusts the same issuer registered as a provider in 222222222222 (${IRSA})`, () => {
  const role = 'arn:aws:iam::222222222222:role/CauselyAccess';
  assert.equal(trustDecision(causelyTrust(TARGET_PROVIDER), mediatorToken(TARGET_PROVIDER, role)), 'Allow');
});

test(`002 target account: the source account's provider ARN is a different principal and is not trusted (reference_policies_elements_principal.html#principal-federated-web-identity)`, () => {
  const role = 'arn:aws:iam::222222222222:role/CauselyAccess';
  assert.equal(trustDecision(causelyTrust(TARGET_PROVIDER), mediatorToken(SOURCE_PROVIDER, role)), 'ImplicitDeny');
});

test(`002 target account: the mediator service account in another namespace → ImplicitDeny (${IRSA})`, () => {
  const role = 'arn:aws:iam::222222222222:role/CauselyAccess';
  assert.equal(trustDecision(causelyTrust(TARGET_PROVIDER), mediatorToken(TARGET_PROVIDER, role, 'default')), 'ImplicitDeny');
});

// ===================================================================================================
// 003 — IAM mechanics: policy types, boundaries, delegated role creation, IRSA, cross-account, SCPs
// ===================================================================================================

const S3_PREFIX_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::my-app-bucket/*',
      Condition: { StringEquals: { 's3:prefix': ['uploads/', 'exports/'] } },
    },
    {
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: 'arn:aws:s3:::my-app-bucket/*',
    },
  ],
};

const PLATFORM_ACCOUNT = '012345678901';
const PLATFORM_USER = `arn:aws:iam::${PLATFORM_ACCOUNT}:user/app`;

test(`003 identity policy: DeleteObject is explicitly denied (${DENY_EVAL})`, () => {
  const request = { principal: PLATFORM_USER, action: 's3:DeleteObject', resource: 'arn:aws:s3:::my-app-bucket/uploads/a.csv' };
  assert.equal(decide({ request, identityPolicies: [asPolicy(S3_PREFIX_POLICY)] }), 'ExplicitDeny');
});

test(`003 identity policy: the DeleteObject deny holds even if another policy grants s3:* ("denies always win", ${DENY_EVAL})`, () => {
  const request = { principal: PLATFORM_USER, action: 's3:DeleteObject', resource: 'arn:aws:s3:::my-app-bucket/uploads/a.csv' };
  const s3Admin = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  assert.equal(decide({ request, identityPolicies: [s3Admin, asPolicy(S3_PREFIX_POLICY)] }), 'ExplicitDeny');
});

test(`003 identity policy: GetObject needs the s3:prefix key; absent (as on GetObject requests) the StringEquals allow does not apply (${CONDITIONS})`, () => {
  const request = { principal: PLATFORM_USER, action: 's3:GetObject', resource: 'arn:aws:s3:::my-app-bucket/uploads/a.csv' };
  assert.equal(decide({ request, identityPolicies: [asPolicy(S3_PREFIX_POLICY)] }), 'ImplicitDeny');
});

test(`003 identity policy: with s3:prefix one of the listed values (values are ORed) → Allow (reference_policies_multi-value-conditions.html)`, () => {
  const ask = (prefix: string) =>
    decide({ request: { principal: PLATFORM_USER, action: 's3:PutObject', resource: 'arn:aws:s3:::my-app-bucket/exports/a.csv', context: { 's3:prefix': prefix } }, identityPolicies: [asPolicy(S3_PREFIX_POLICY)] });
  assert.equal(ask('exports/'), 'Allow');
  assert.equal(ask('uploads/'), 'Allow');
  assert.equal(ask('private/'), 'ImplicitDeny');
});

test(`003 "for same-account access via resource-based policies, the boundary is not evaluated": true for a grant to the user ARN (${DENY_EVAL})`, () => {
  const bucketPolicy = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: PLATFORM_USER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-app-bucket/*' }] });
  const s3LessBoundary = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
  const request = { principal: PLATFORM_USER, action: 's3:GetObject', resource: 'arn:aws:s3:::my-app-bucket/a.csv' };
  assert.equal(decide({ request, resourcePolicy: bucketPolicy, permissionsBoundary: s3LessBoundary }), 'Allow');
});

test(`003 the boundary claim does not hold for a grant to a role ARN: the role's boundary still limits it (${DENY_EVAL})`, () => {
  const role = `arn:aws:iam::${PLATFORM_ACCOUNT}:role/PaymentsApiRole`;
  const session = `arn:aws:sts::${PLATFORM_ACCOUNT}:assumed-role/PaymentsApiRole/pod`;
  const bucketPolicy = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-app-bucket/*' }] });
  const s3LessBoundary = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
  const request = { principal: session, action: 's3:GetObject', resource: 'arn:aws:s3:::my-app-bucket/a.csv' };
  assert.equal(decide({ request, resourcePolicy: bucketPolicy, permissionsBoundary: s3LessBoundary }), 'ImplicitDeny');
});

test(`003 "AdministratorAccess with an S3FullAccess boundary can only do S3" (access_policies_boundaries.html)`, () => {
  const admin = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const s3Boundary = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  const session = `arn:aws:sts::${PLATFORM_ACCOUNT}:assumed-role/AdminRole/me`;
  const may = (action: string, resource: string) => decide({ request: { principal: session, action, resource }, identityPolicies: [admin], permissionsBoundary: s3Boundary });
  assert.equal(may('s3:PutObject', 'arn:aws:s3:::any-bucket/x'), 'Allow');
  assert.equal(may('ec2:TerminateInstances', `arn:aws:ec2:us-east-1:${PLATFORM_ACCOUNT}:instance/i-1`), 'ImplicitDeny');
  assert.equal(may('iam:CreateRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/escalate`), 'ImplicitDeny');
});

test(`003 effective = identity ∩ boundary ∩ session policy (access_policies.html#policies_session)`, () => {
  const admin = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const s3Boundary = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
  const readOnlySession = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] });
  const session = `arn:aws:sts::${PLATFORM_ACCOUNT}:assumed-role/AdminRole/me`;
  const may = (action: string) =>
    decide({ request: { principal: session, action, resource: 'arn:aws:s3:::any-bucket/x' }, identityPolicies: [admin], permissionsBoundary: s3Boundary, sessionPolicies: [readOnlySession] });
  assert.equal(may('s3:GetObject'), 'Allow');
  assert.equal(may('s3:PutObject'), 'ImplicitDeny');
});

const ALLOW_ROLE_CREATION_WITH_BOUNDARY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowRoleCreationWithBoundary',
      Effect: 'Allow',
      Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'],
      Resource: 'arn:aws:iam::012345678901:role/*',
      Condition: { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::012345678901:policy/DeveloperBoundary' } },
    },
  ],
};

const DEVELOPER = `arn:aws:iam::${PLATFORM_ACCOUNT}:user/developer`;
const DEVELOPER_BOUNDARY = `arn:aws:iam::${PLATFORM_ACCOUNT}:policy/DeveloperBoundary`;

function developerMay(action: string, resource: string, context: AuthorizationRequest['context'] = {}) {
  return evaluate({ request: { principal: DEVELOPER, action, resource, context }, identityPolicies: [asPolicy(ALLOW_ROLE_CREATION_WITH_BOUNDARY)] });
}

test(`003 delegated role creation: CreateRole with iam:PermissionsBoundary = DeveloperBoundary → Allow (access_policies_boundaries.html#access_policies_boundaries-delegate)`, () => {
  const result = developerMay('iam:CreateRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/team-app`, { 'iam:PermissionsBoundary': DEVELOPER_BOUNDARY });
  assert.equal(result.decision, 'Allow');
  assert.ok(hasDecisive(result.decisive, { sid: 'AllowRoleCreationWithBoundary', policyType: 'identity' }));
});

test(`003 delegated role creation: another boundary (e.g. AdministratorAccess) → ImplicitDeny (access_policies_boundaries.html#access_policies_boundaries-delegate)`, () => {
  const result = developerMay('iam:CreateRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/team-app`, { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' });
  assert.equal(result.decision, 'ImplicitDeny');
});

test(`003 delegated role creation: no boundary at all → ImplicitDeny, the escalation the seed warns about is blocked (access_policies_boundaries.html)`, () => {
  const result = developerMay('iam:CreateRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/escalate`);
  assert.equal(result.decision, 'ImplicitDeny');
  assert.ok(result.missingContextKeys.some((k) => k.toLowerCase() === 'iam:permissionsboundary'));
});

test(`003 delegated role creation: AttachRolePolicy and PutRolePolicy are guarded the same way (access_policies_boundaries.html)`, () => {
  const role = `arn:aws:iam::${PLATFORM_ACCOUNT}:role/team-app`;
  assert.equal(developerMay('iam:AttachRolePolicy', role, { 'iam:PermissionsBoundary': DEVELOPER_BOUNDARY }).decision, 'Allow');
  assert.equal(developerMay('iam:PutRolePolicy', role, { 'iam:PermissionsBoundary': DEVELOPER_BOUNDARY }).decision, 'Allow');
  assert.equal(developerMay('iam:AttachRolePolicy', role).decision, 'ImplicitDeny');
});

test(`003 delegated role creation: not for users, and not other IAM actions (reference_policies_elements_resource.html)`, () => {
  assert.equal(developerMay('iam:CreateUser', `arn:aws:iam::${PLATFORM_ACCOUNT}:user/x`, { 'iam:PermissionsBoundary': DEVELOPER_BOUNDARY }).decision, 'ImplicitDeny');
  assert.equal(developerMay('iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/team-app`).decision, 'ImplicitDeny');
});

const PAYMENTS_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PAYMENTS_PROVIDER = `arn:aws:iam::${PLATFORM_ACCOUNT}:oidc-provider/${PAYMENTS_ISSUER}`;
const PAYMENTS_ROLE = `arn:aws:iam::${PLATFORM_ACCOUNT}:role/PaymentsApiRole`;

const PAYMENTS_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::012345678901:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:payments:payments-api',
          'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
        },
      },
    },
  ],
};

function paymentsToken(sub: string, aud = 'sts.amazonaws.com'): AuthorizationRequest {
  return webIdentity(PAYMENTS_PROVIDER, PAYMENTS_ROLE, { [`${PAYMENTS_ISSUER}:sub`]: sub, [`${PAYMENTS_ISSUER}:aud`]: aud });
}

test(`003 IRSA PaymentsApiRole: payments/payments-api with aud sts.amazonaws.com → Allow (${IRSA})`, () => {
  assert.equal(trustDecision(PAYMENTS_TRUST, paymentsToken('system:serviceaccount:payments:payments-api')), 'Allow');
});

test(`003 IRSA PaymentsApiRole: "any pod in any namespace" is prevented — other namespace or service account → ImplicitDeny (${IRSA})`, () => {
  assert.equal(trustDecision(PAYMENTS_TRUST, paymentsToken('system:serviceaccount:default:payments-api')), 'ImplicitDeny');
  assert.equal(trustDecision(PAYMENTS_TRUST, paymentsToken('system:serviceaccount:payments:default')), 'ImplicitDeny');
});

test(`003 IRSA troubleshooting: a typo in the service account name → ImplicitDeny (${IRSA})`, () => {
  assert.equal(trustDecision(PAYMENTS_TRUST, paymentsToken('system:serviceaccount:payments:payment-api')), 'ImplicitDeny');
});

test(`003 IRSA troubleshooting: the audience must be sts.amazonaws.com → ImplicitDeny otherwise (${IRSA})`, () => {
  assert.equal(trustDecision(PAYMENTS_TRUST, paymentsToken('system:serviceaccount:payments:payments-api', `https://${PAYMENTS_ISSUER}`)), 'ImplicitDeny');
});

const DEPLOYMENT_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:role/DeploymentRole' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'unique-external-id-for-this-relationship' } },
    },
  ],
};

const DEPLOYMENT_IDENTITY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: 'arn:aws:iam::222222222222:role/CrossAccountRole',
    },
  ],
};

const DEPLOYMENT_SESSION = 'arn:aws:sts::111111111111:assumed-role/DeploymentRole/pipeline';
const CROSS_ACCOUNT_ROLE = 'arn:aws:iam::222222222222:role/CrossAccountRole';

function assumeCrossAccountRole(principal: string, context: AuthorizationRequest['context'], identity: object | null = DEPLOYMENT_IDENTITY): Decision {
  const request = { principal, action: 'sts:AssumeRole', resource: CROSS_ACCOUNT_ROLE, context };
  return trustDecision(DEPLOYMENT_TRUST, request, identity ? { identityPolicies: [asPolicy(identity)] } : {});
}

test(`003 cross-account: DeploymentRole's session with its sts:AssumeRole permission and the ExternalId → Allow (${CROSS}; ${EXTERNAL_ID})`, () => {
  assert.equal(assumeCrossAccountRole(DEPLOYMENT_SESSION, { 'sts:ExternalId': 'unique-external-id-for-this-relationship' }), 'Allow');
});

test(`003 cross-account: the confused deputy without the ExternalId → ImplicitDeny (${EXTERNAL_ID})`, () => {
  assert.equal(assumeCrossAccountRole(DEPLOYMENT_SESSION, {}), 'ImplicitDeny');
  assert.equal(assumeCrossAccountRole(DEPLOYMENT_SESSION, { 'sts:ExternalId': 'someone-elses-id' }), 'ImplicitDeny');
});

test(`003 cross-account: "the principal in account A also needs permission to call sts:AssumeRole" (${CROSS})`, () => {
  assert.equal(assumeCrossAccountRole(DEPLOYMENT_SESSION, { 'sts:ExternalId': 'unique-external-id-for-this-relationship' }, null), 'ImplicitDeny');
});

test(`003 cross-account: another role of account A is not trusted even with the ExternalId (reference_policies_elements_principal.html#principal-roles)`, () => {
  assert.equal(assumeCrossAccountRole('arn:aws:sts::111111111111:assumed-role/OtherRole/x', { 'sts:ExternalId': 'unique-external-id-for-this-relationship' }), 'ImplicitDeny');
});

const ORG_GUARDRAILS_SCP = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyLeavingOrganization',
      Effect: 'Deny',
      Action: 'organizations:LeaveOrganization',
      Resource: '*',
    },
    {
      Sid: 'RequireIMDSv2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: 'arn:aws:ec2:*:*:instance/*',
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    },
    {
      Sid: 'DenyRegionsOutsideUS',
      Effect: 'Deny',
      NotAction: [
        'iam:*',
        'sts:*',
        'cloudfront:*',
        'route53:*',
        'route53resolver:*',
        'support:*',
        'budgets:*',
        'organizations:*',
        'account:*',
        'health:*',
        'globalaccelerator:*',
        'waf:*',
        'trustedadvisor:*',
      ],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } },
    },
  ],
};

const FULL_AWS_ACCESS = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const ADMIN_SESSION = `arn:aws:sts::${PLATFORM_ACCOUNT}:assumed-role/AdministratorRole/alice`;
const INSTANCE = `arn:aws:ec2:us-east-1:${PLATFORM_ACCOUNT}:instance/*`;

function underGuardrails(action: string, resource: string, context: AuthorizationRequest['context'], more: Partial<EvaluationInput> = {}) {
  return evaluate({
    request: { principal: ADMIN_SESSION, action, resource, context },
    identityPolicies: [FULL_AWS_ACCESS],
    serviceControlPolicies: [[FULL_AWS_ACCESS, asPolicy(ORG_GUARDRAILS_SCP)]],
    ...more,
  });
}

test(`003 SCP DenyLeavingOrganization: even an administrator cannot leave the organization (${SCP})`, () => {
  const result = underGuardrails('organizations:LeaveOrganization', '*', { 'aws:RequestedRegion': 'us-east-1' });
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { policyType: 'scp', sid: 'DenyLeavingOrganization', effect: 'Deny', level: 0 }));
});

test(`003 SCP RequireIMDSv2: launching an instance without MetadataHttpTokens=required → ExplicitDeny (${SCP})`, () => {
  const result = underGuardrails('ec2:RunInstances', INSTANCE, { 'aws:RequestedRegion': 'us-east-1', 'ec2:MetadataHttpTokens': 'optional' });
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { sid: 'RequireIMDSv2' }));
});

test(`003 SCP RequireIMDSv2: with MetadataHttpTokens=required in a US region → Allow (${SCP})`, () => {
  assert.equal(underGuardrails('ec2:RunInstances', INSTANCE, { 'aws:RequestedRegion': 'us-east-1', 'ec2:MetadataHttpTokens': 'required' }).decision, 'Allow');
});

test(`003 SCP RequireIMDSv2: a request lacking ec2:MetadataHttpTokens is denied (StringNotEquals on a missing key is true, ${CONDITIONS})`, () => {
  assert.equal(underGuardrails('ec2:RunInstances', INSTANCE, { 'aws:RequestedRegion': 'us-west-2' }).decision, 'ExplicitDeny');
});

test(`003 SCP RequireIMDSv2 is scoped to instance ARNs: RunInstances on a volume is not denied by it (reference_policies_elements_resource.html)`, () => {
  const volume = `arn:aws:ec2:us-east-1:${PLATFORM_ACCOUNT}:volume/*`;
  assert.equal(underGuardrails('ec2:RunInstances', volume, { 'aws:RequestedRegion': 'us-east-1' }).decision, 'Allow');
});

test(`003 SCP DenyRegionsOutsideUS: regional services outside us-east-1/us-west-2 → ExplicitDeny (${SCP}; reference_policies_elements_notaction.html)`, () => {
  const result = underGuardrails('s3:GetObject', 'arn:aws:s3:::eu-bucket/x', { 'aws:RequestedRegion': 'eu-west-1' });
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { sid: 'DenyRegionsOutsideUS' }));
});

test(`003 SCP DenyRegionsOutsideUS: the allowed regions pass (values of one key are ORed, negation needs all to differ) (reference_policies_multi-value-conditions.html)`, () => {
  assert.equal(underGuardrails('s3:GetObject', 'arn:aws:s3:::us-bucket/x', { 'aws:RequestedRegion': 'us-west-2' }).decision, 'Allow');
  assert.equal(underGuardrails('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${PLATFORM_ACCOUNT}:table/t`, { 'aws:RequestedRegion': 'us-east-1' }).decision, 'Allow');
});

test(`003 SCP DenyRegionsOutsideUS: global services listed in NotAction are not denied in any region (reference_policies_elements_notaction.html)`, () => {
  assert.equal(underGuardrails('iam:CreateRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/r`, { 'aws:RequestedRegion': 'eu-west-1' }).decision, 'Allow');
  // sts:AssumeRole on a role is judged by its trust policy: here one that trusts the account.
  const trust = { name: 'trust', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: PLATFORM_ACCOUNT }, Action: 'sts:AssumeRole' }] } };
  assert.equal(underGuardrails('sts:AssumeRole', `arn:aws:iam::${PLATFORM_ACCOUNT}:role/r`, { 'aws:RequestedRegion': 'ap-south-1' }, { resourcePolicy: trust }).decision, 'Allow');
  assert.equal(underGuardrails('route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/Z1', { 'aws:RequestedRegion': 'eu-central-1' }).decision, 'Allow');
});

test(`003 SCP DenyRegionsOutsideUS: a regional request with no aws:RequestedRegion is denied (negated operator, missing key, ${CONDITIONS})`, () => {
  assert.equal(underGuardrails('s3:GetObject', 'arn:aws:s3:::bucket/x', {}).decision, 'ExplicitDeny');
});

test(`003 SCPs are deny-lists on top of FullAWSAccess: without an allowing SCP the guardrail SCP alone denies everything (${SCP})`, () => {
  const result = underGuardrails('s3:GetObject', 'arn:aws:s3:::us-bucket/x', { 'aws:RequestedRegion': 'us-east-1' }, { serviceControlPolicies: [[asPolicy(ORG_GUARDRAILS_SCP)]] });
  assert.equal(result.decision, 'ImplicitDeny');
});

test(`003 SCPs don't bind the management account: it may leave the organization (${SCP})`, () => {
  const result = underGuardrails('organizations:LeaveOrganization', '*', { 'aws:RequestedRegion': 'us-east-1' }, { managementAccount: PLATFORM_ACCOUNT });
  assert.equal(result.decision, 'Allow');
});

// ===================================================================================================
// 004 — IAM basics: deny overrides, instance roles, eksctl IRSA, cross-account ExternalId
// ===================================================================================================

const S3_READ_ACCESS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowS3ReadAccess',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket/*'],
      Condition: { StringEquals: { 's3:prefix': ['uploads/', 'public/'] } },
    },
    {
      Sid: 'DenyDeleteObject',
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: 'arn:aws:s3:::my-bucket/*',
    },
  ],
};

// 004 prints the account as 123456789; account ids have 12 digits, so it is padded here.
const BASICS_ACCOUNT = '123456789012';
const BASICS_USER = `arn:aws:iam::${BASICS_ACCOUNT}:user/reader`;

function readerMay(action: string, resource: string, context: AuthorizationRequest['context'] = {}, more: Partial<EvaluationInput> = {}) {
  return evaluate({ request: { principal: BASICS_USER, action, resource, context }, identityPolicies: [asPolicy(S3_READ_ACCESS_POLICY)], ...more });
}

test(`004 "Deny always overrides Allow": DeleteObject → ExplicitDeny by DenyDeleteObject (${DENY_EVAL})`, () => {
  const result = readerMay('s3:DeleteObject', 'arn:aws:s3:::my-bucket/uploads/x');
  assert.equal(result.decision, 'ExplicitDeny');
  assert.ok(hasDecisive(result.decisive, { sid: 'DenyDeleteObject', effect: 'Deny' }));
});

test(`004 "Deny always overrides Allow": a bucket policy granting the user s3:* can't lift the deny (${DENY_EVAL})`, () => {
  const bucketPolicy = asPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: BASICS_USER }, Action: 's3:*', Resource: 'arn:aws:s3:::my-bucket/*' }] });
  assert.equal(readerMay('s3:DeleteObject', 'arn:aws:s3:::my-bucket/uploads/x', {}, { resourcePolicy: bucketPolicy }).decision, 'ExplicitDeny');
});

test(`004 AllowS3ReadAccess: ListBucket with prefix uploads/ or public/ → Allow; another prefix → ImplicitDeny (${CONDITIONS})`, () => {
  assert.equal(readerMay('s3:ListBucket', 'arn:aws:s3:::my-bucket', { 's3:prefix': 'public/' }).decision, 'Allow');
  assert.equal(readerMay('s3:ListBucket', 'arn:aws:s3:::my-bucket', { 's3:prefix': 'uploads/' }).decision, 'Allow');
  assert.equal(readerMay('s3:ListBucket', 'arn:aws:s3:::my-bucket', { 's3:prefix': 'private/' }).decision, 'ImplicitDeny');
});

test(`004 "default deny → explicit deny → explicit allow": an action nobody mentions is implicitly denied (${DENY_EVAL})`, () => {
  assert.equal(readerMay('s3:PutObject', 'arn:aws:s3:::my-bucket/uploads/x', { 's3:prefix': 'uploads/' }).decision, 'ImplicitDeny');
});

test(`004 EC2 instance-profile trust: ec2.amazonaws.com may assume the role (reference_policies_elements_principal.html#principal-services)`, () => {
  const role = `arn:aws:iam::${BASICS_ACCOUNT}:role/my-role`;
  assert.equal(trustDecision(EC2_TRUST, { principal: 'ec2.amazonaws.com', action: 'sts:AssumeRole', resource: role }), 'Allow');
  assert.equal(trustDecision(EC2_TRUST, { principal: 'ecs-tasks.amazonaws.com', action: 'sts:AssumeRole', resource: role }), 'ImplicitDeny');
});

/** The trust eksctl creates, as printed (no Version), with the provider id and "oidc.eks.../sub" filled in. */
const S3_READER_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9';
const S3_READER_PROVIDER = `arn:aws:iam::${BASICS_ACCOUNT}:oidc-provider/${S3_READER_ISSUER}`;
const EKSCTL_TRUST = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: S3_READER_PROVIDER },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${S3_READER_ISSUER}:sub`]: 'system:serviceaccount:production:s3-reader' } },
    },
  ],
};

test(`004 eksctl IRSA trust: production/s3-reader may assume s3-reader-role; staging may not (${IRSA})`, () => {
  const role = `arn:aws:iam::${BASICS_ACCOUNT}:role/s3-reader-role`;
  const token = (sub: string) => webIdentity(S3_READER_PROVIDER, role, { [`${S3_READER_ISSUER}:sub`]: sub });
  assert.equal(trustDecision(EKSCTL_TRUST, token('system:serviceaccount:production:s3-reader')), 'Allow');
  assert.equal(trustDecision(EKSCTL_TRUST, token('system:serviceaccount:staging:s3-reader')), 'ImplicitDeny');
});

/** 004's cross-account trust with ACCOUNT-A-ID filled in. */
const ACCOUNT_A_ID = '111111111111';
const DEPLOYMENT_ROLE_TRUST_004 = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_A_ID}:role/deployment-role` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'unique-external-id-12345' } },
    },
  ],
};

test(`004 cross-account: deployment-role's session with the ExternalId and an identity allow → Allow; without the ExternalId → ImplicitDeny (${CROSS}; ${EXTERNAL_ID})`, () => {
  const session = `arn:aws:sts::${ACCOUNT_A_ID}:assumed-role/deployment-role/deployment-session`;
  const request = (context: AuthorizationRequest['context']) => ({ principal: session, action: 'sts:AssumeRole', resource: 'arn:aws:iam::222222222222:role/cross-account-role', context });
  const identity = { identityPolicies: [MAY_ASSUME_ANY_ROLE] };
  assert.equal(trustDecision(DEPLOYMENT_ROLE_TRUST_004, request({ 'sts:ExternalId': 'unique-external-id-12345' }), identity), 'Allow');
  assert.equal(trustDecision(DEPLOYMENT_ROLE_TRUST_004, request({}), identity), 'ImplicitDeny');
});
