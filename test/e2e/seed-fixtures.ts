/**
 * The role examples of the seed documents (../shared/seeds/), kept here as fixtures because the seeds
 * live outside the repository: trust and permission policies copied as the seeds print them, role and
 * policy names from the seeds (or their naming patterns where a seed gives a pattern only).
 */

/** A role as a seed describes it: trust policy, inline and managed policies, optional attributes. */
export interface SeedRole {
  seed: string;
  roleName: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  trust: string;
  inline?: Record<string, string>;
  managed?: string[];
}

// 001_dcca4c5be711287f.txt, "IAM Policy - IAM Role Management (iam-policy.json)".
export const SEED_001_IAM_POLICY = `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Action": [
"iam:CreateRole",
"iam:DeleteRole",
"iam:GetRole",
"iam:UpdateRole",
"iam:AttachRolePolicy",
"iam:DetachRolePolicy",
"iam:PutRolePolicy",
"iam:DeleteRolePolicy",
"iam:GetRolePolicy",
"iam:ListRolePolicies",
"iam:ListAttachedRolePolicies",
"iam:TagRole",
"iam:UntagRole",
"iam:ListRoleTags"
],
"Resource": "*"
}
]
}
`;

/** The OIDC issuer host the seed's step 1 reads from `aws eks describe-cluster` (the seed's example id). */
export const SEED_001_OIDC_PROVIDER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** 001_dcca4c5be711287f.txt, "Create Role with AWS CLI", step 1 exactly as printed: the issuer from `aws eks describe-cluster`. */
export const SEED_001_STEP_1 = `# 1. Get OIDC Provider from EKS cluster
export CLUSTER_NAME=my-cluster
export AWS_REGION=us-east-1
export AWS_ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
OIDC_PROVIDER=$(aws eks describe-cluster \\
--name $CLUSTER_NAME \\
--region $AWS_REGION \\
--query "cluster.identity.oidc.issuer" \\
--output text | sed -e "s/^https:\\/\\///")
`;

/** Steps 2–5 as printed: the trust policy, the role, its policy, its ARN. */
const SEED_001_STEPS_2_TO_5 = `# 2. Update trust-policy.json with correct values
cat > trust-policy.json <<EOF
{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Federated": "arn:aws:iam::\${AWS_ACCOUNT_ID}:oidc-provider/\${OIDC_PROVIDER}"
},
"Action": "sts:AssumeRoleWithWebIdentity",
"Condition": {
"StringEquals": {
"\${OIDC_PROVIDER}:sub": "system:serviceaccount:infra-operator-system:infra-operator-controller-manager",
"\${OIDC_PROVIDER}:aud": "sts.amazonaws.com"
}
}
}
]
}
EOF
# 3. Create IAM Role
aws iam create-role \\
--role-name infra-operator-iam-role \\
--assume-role-policy-document file://trust-policy.json \\
--description "Role for Infra Operator IAM management"
# 4. Create and attach policy
aws iam put-role-policy \\
--role-name infra-operator-iam-role \\
--policy-name IAMManagement \\
--policy-document file://iam-policy.json
# 5. Get Role ARN
aws iam get-role \\
--role-name infra-operator-iam-role \\
--query 'Role.Arn' \\
--output text
`;

/** Steps 1–5 exactly as printed, for a server with an EKS cluster named `my-cluster`. */
export const SEED_001_SCRIPT_WITH_EKS = SEED_001_STEP_1 + SEED_001_STEPS_2_TO_5;

/**
 * Steps 1–5 with one change: step 1's `aws eks describe-cluster` becomes the issuer host the seed tells
 * readers to substitute ("Replace ... EXAMPLED539D4633E53DE1B71EXAMPLE with your OIDC provider ID"), for
 * tests of the IAM steps that have no cluster.
 */
export const SEED_001_SCRIPT = `# 1. Get OIDC Provider from EKS cluster
export CLUSTER_NAME=my-cluster
export AWS_REGION=us-east-1
export AWS_ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
OIDC_PROVIDER=${SEED_001_OIDC_PROVIDER}
${SEED_001_STEPS_2_TO_5}`;

/** The trust policy step 2 of the seed writes, with the account and issuer filled in. */
export function seed001TrustPolicy(accountId: string): unknown {
  const provider = SEED_001_OIDC_PROVIDER;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${provider}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${provider}:sub`]: 'system:serviceaccount:infra-operator-system:infra-operator-controller-manager',
            [`${provider}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

const SEED_000 = '000_72fb5b0ae65f78aa.txt';
const SEED_002 = '002_bc01b5074380db25.txt';
const SEED_003 = '003_8afecf2cee27b40b.txt';
const SEED_004 = '004_5ced8259b3043afe.txt';

// 000: "Trust policy pattern" of EKS Pod Identity.
const POD_IDENTITY_TRUST = `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Service": "pods.eks.amazonaws.com"
},
"Action": [
"sts:AssumeRole",
"sts:TagSession"
]
}
]
}`;

// 000: "IRSA Trust Policy Pattern", its placeholders filled with the seeds' example issuer and a
// service account name.
function irsaTrust(serviceAccount: string): string {
  return `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Action": "sts:AssumeRoleWithWebIdentity",
"Principal": {
"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
},
"Condition": {
"StringLike": {
"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:*:${serviceAccount}"
}
}
}
]
}`;
}

// 000: "Cluster Autoscaler Permissions", verbatim: no Version, so `${CLUSTER_ID}` is literal text.
const CLUSTER_AUTOSCALER_POLICY = `{
"Statement": [
{
"Sid": "clusterAutoscalerAll",
"Effect": "Allow",
"Action": [
"autoscaling:DescribeAutoScalingGroups",
"autoscaling:DescribeAutoScalingInstances",
"autoscaling:DescribeInstances",
"autoscaling:DescribeLaunchConfigurations",
"autoscaling:DescribeTags",
"autoscaling:SetDesiredCapacity",
"autoscaling:TerminateInstanceInAutoScalingGroup",
"ec2:DescribeLaunchTemplateVersions",
"ec2:DescribeInstanceTypes",
"ec2:DescribeImages",
"ec2:GetInstanceTypesFromInstanceRequirements",
"eks:DescribeNodegroup"
],
"Resource": "*"
},
{
"Sid": "clusterAutoscalerOwn",
"Effect": "Allow",
"Action": [
"autoscaling:SetDesiredCapacity",
"autoscaling:TerminateInstanceInAutoScalingGroup",
"autoscaling:UpdateAutoScalingGroup"
],
"Resource": "*",
"Condition": {
"StringEquals": {
"autoscaling:ResourceTag/k8s.io/cluster-autoscaler/\${CLUSTER_ID}": "owned",
"autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true"
}
}
}
]
}`;

/** The standard trust of a role an AWS service assumes (the seeds name the service principal only). */
function serviceTrust(service: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
}

// 002: the trust policies of steps 1 and 4, verbatim (accounts 111111111111 and 222222222222).
export function causelyTrust(accountId: string): string {
  return `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Federated": "arn:aws:iam::${accountId}:oidc-provider/oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
},
"Action": "sts:AssumeRoleWithWebIdentity",
"Condition": {
"StringEquals": {
"oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:causely:causely-mediator",
"oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"
}
}
}
]
}`;
}

// 003: "Step 2: Create the IAM role with trust policy" (line numbers of the page dropped).
const PAYMENTS_API_TRUST = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::012345678901:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:payments:payments-api",
          "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}`;

// 003: "Identity-Based Policy Example".
const APP_BUCKET_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::my-app-bucket/*",
      "Condition": {
        "StringEquals": {
          "s3:prefix": ["uploads/", "exports/"]
        }
      }
    },
    {
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::my-app-bucket/*"
    }
  ]
}`;

// 003: "Cross-Account Role Assumption", the role in account B.
const CROSS_ACCOUNT_TRUST = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111111111111:role/DeploymentRole"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "unique-external-id-for-this-relationship"
        }
      }
    }
  ]
}`;

// 004: "Trust policy: allows EC2 instances to assume this role" (the page's // comment line dropped).
const EC2_TRUST = `{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"Service": "ec2.amazonaws.com"
},
"Action": "sts:AssumeRole"
}
]
}`;

// 004: "Writing IAM Policies".
const S3_READ_POLICY = `{
"Version": "2012-10-17",
"Statement": [
{
"Sid": "AllowS3ReadAccess",
"Effect": "Allow",
"Action": [
"s3:GetObject",
"s3:ListBucket"
],
"Resource": [
"arn:aws:s3:::my-bucket",
"arn:aws:s3:::my-bucket/*"
],
"Condition": {
"StringEquals": {
"s3:prefix": ["uploads/", "public/"]
}
}
},
{
"Sid": "DenyDeleteObject",
"Effect": "Deny",
"Action": "s3:DeleteObject",
"Resource": "arn:aws:s3:::my-bucket/*"
}
]
}`;

const AWS_POLICY = 'arn:aws:iam::aws:policy/';

/** Every role example of seeds 000, 002, 003 and 004. */
export const SEED_ROLES: SeedRole[] = [
  { seed: SEED_000, roleName: 'aoscloud-dev-app', description: 'sa_app: API, Auth and Frontend pods', trust: POD_IDENTITY_TRUST },
  {
    seed: SEED_000,
    roleName: 'my-cluster-autoscaling-role',
    trust: irsaTrust('cluster-autoscaler'),
    inline: { 'cluster-autoscaler': CLUSTER_AUTOSCALER_POLICY },
  },
  {
    seed: SEED_000,
    roleName: 'my-cluster-role',
    trust: serviceTrust('eks.amazonaws.com'),
    managed: [`${AWS_POLICY}AmazonEKSClusterPolicy`, `${AWS_POLICY}AmazonEKSServicePolicy`, `${AWS_POLICY}AmazonEKSVPCResourceController`],
  },
  {
    seed: SEED_000,
    roleName: 'my-cluster-node-role',
    trust: serviceTrust('ec2.amazonaws.com'),
    managed: [
      `${AWS_POLICY}AmazonEKSWorkerNodePolicy`,
      `${AWS_POLICY}AmazonEKS_CNI_Policy`,
      `${AWS_POLICY}CloudWatchAgentServerPolicy`,
      `${AWS_POLICY}AmazonEC2ContainerRegistryReadOnly`,
      `${AWS_POLICY}AmazonEC2ContainerRegistryPowerUser`,
    ],
  },
  { seed: SEED_000, roleName: 'my-cluster-ebs-controller', trust: irsaTrust('ebs-csi-controller-sa'), managed: [`${AWS_POLICY}service-role/AmazonEBSCSIDriverPolicy`] },
  { seed: SEED_002, roleName: 'CauselyMediation', trust: causelyTrust('111111111111') },
  { seed: SEED_002, roleName: 'CauselyAccess', trust: causelyTrust('222222222222') },
  { seed: SEED_003, roleName: 'PaymentsApiRole', trust: PAYMENTS_API_TRUST, inline: { 'app-bucket': APP_BUCKET_POLICY }, maxSessionDuration: 43200 },
  { seed: SEED_003, roleName: 'CrossAccountRole', trust: CROSS_ACCOUNT_TRUST },
  { seed: SEED_004, roleName: 's3-reader-role', path: '/ec2/', trust: EC2_TRUST, inline: { S3ReadPolicy: S3_READ_POLICY } },
];

/** 002: the example OIDC provider id the seed asks to replace with "your region and your OIDC provider id". */
export const SEED_002_OIDC_PROVIDER = 'oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** 002 step 7, aws-secret.yaml (the seed's text lost its indentation; restored as the manifest's structure needs). */
export const SEED_002_AWS_SECRET = `apiVersion: v1
kind: Secret
type: Opaque
metadata:
  name: aws-secret
  namespace: causely
stringData:
  AWS_REGION: region-code
  AWS_ROLE_ARN: arn:aws:iam::222222222222:role/CauselyAccess
`;

/** 002 step 8, causely-values.yaml (indentation restored likewise). */
export const SEED_002_CAUSELY_VALUES = `mediator:
  serviceAccountAnnotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:role/CauselyMediation

scrapers:
  aws:
    enabled: true
    accounts:
      - arn: arn:aws:organizations::222222222222:account/o-pyxgi8opc5/123456789012
        secretName: aws-secret
`;

/** 002 step 3, verbatim: registering the cluster's OIDC provider. */
export const SEED_002_CREATE_OIDC_PROVIDER = [
  'iam',
  'create-open-id-connect-provider',
  '--url',
  'https://oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  '--client-id-list',
  'sts.amazonaws.com',
  '--thumbprint-list',
  'AABBCCDDEEFFGGHHIIJJKKLLMMNNOOPPQQRRSSTT',
];

/** 003 "Permission Boundaries": the delegation policy, for the account of the tests. */
export function delegationPolicy(accountId: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowRoleCreationWithBoundary',
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'],
        Resource: `arn:aws:iam::${accountId}:role/*`,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': `arn:aws:iam::${accountId}:policy/DeveloperBoundary` } },
      },
    ],
  };
}
