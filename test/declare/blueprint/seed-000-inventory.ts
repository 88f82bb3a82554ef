/**
 * Seed 000_72fb5b0ae65f78aa.txt's role inventory as data, from its tables: "Service Account
 * Inventory", "Permissions by Service Account", "System Service Account Inventory" and "EKS Cluster
 * Roles", with the naming patterns filled for project aos, env prod (cluster aos-prod, the example's
 * default). The tests check the rendered example against these, role by role.
 */

/** "AWS Actions" of each custom policy of the tables. */
export const POLICY_ACTIONS: Record<string, string[]> = {
  default_backend: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
  s3_infra: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
  secrets_manager_rw: [
    'secretsmanager:GetSecretValue',
    'secretsmanager:CreateSecret',
    'secretsmanager:UpdateSecret',
    'secretsmanager:DeleteSecret',
    'secretsmanager:ListSecrets',
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:GenerateDataKey',
  ],
  ec2_task: ['ec2:RunInstances', 'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplates', 'ec2:CreateTags', 'ec2:TerminateInstances'],
  saas: ['aws-marketplace:ResolveCustomer', 'aws-marketplace:BatchMeterUsage', 'aws-marketplace:GetEntitlements', 'sts:AssumeRole', 'sqs:*'],
};

export interface InventoryRole {
  id: string;
  roleName: string;
  /** Custom policies (inline on the role). */
  policies: string[];
  /** AWS managed policies, by ARN. */
  managed: string[];
  /** Kubernetes identities the role trusts (NAMESPACE:NAME), or the AWS service principal. */
  trusts: string[];
}

const AWS = 'arn:aws:iam::aws:policy/';

/** The seven service-account roles. */
export const SERVICE_ACCOUNT_ROLES: InventoryRole[] = [
  { id: 'sa_app', roleName: 'aos-prod-app', policies: ['default_backend'], managed: [], trusts: ['prod:sa-app'] },
  { id: 'sa_task', roleName: 'aos-prod-task', policies: ['ec2_task', 'default_backend', 'secrets_manager_rw'], managed: [], trusts: ['prod:sa-task'] },
  { id: 'sa_sd', roleName: 'aos-prod-sd', policies: ['default_backend'], managed: [], trusts: ['prod:sa-sd'] },
  { id: 'sa_secrets_manager', roleName: 'aos-prod-secrets-manager', policies: ['secrets_manager_rw'], managed: [], trusts: ['prod:sa-secrets-manager'] },
  {
    id: 'sa_base',
    roleName: 'aos-prod-base',
    policies: ['default_backend', 'secrets_manager_rw', 'ec2_task', 's3_infra', 'saas'],
    managed: [`${AWS}CloudWatchAgentServerPolicy`],
    trusts: ['prod:sa-base'],
  },
  { id: 'sa_data_services', roleName: 'aos-prod-data-services', policies: ['default_backend'], managed: [], trusts: ['prod:sa-data-services'] },
  { id: 'sa_uqm', roleName: 'aos-prod-qm', policies: ['default_backend', 'ec2_task'], managed: [], trusts: ['prod:sa-uqm'] },
];

/** The five EKS system-component roles (kube-system). */
export const SYSTEM_ROLES: InventoryRole[] = [
  { id: 'cluster_autoscaler', roleName: 'aos-prod-autoscaling-role', policies: ['cluster_autoscaler'], managed: [], trusts: ['kube-system:aws-node', 'kube-system:cluster-autoscaler'] },
  { id: 'load_balancer_controller', roleName: 'aos-prod-load-balancer-controller', policies: ['load_balancer_controller'], managed: [], trusts: ['kube-system:aws-load-balancer-controller'] },
  { id: 'ebs_csi_driver', roleName: 'aos-prod-ebs-controller', policies: [], managed: [`${AWS}service-role/AmazonEBSCSIDriverPolicy`], trusts: ['kube-system:ebs-csi-*'] },
  { id: 'efs_csi_driver', roleName: 'aos-prod-efs-controller', policies: [], managed: [`${AWS}service-role/AmazonEFSCSIDriverPolicy`], trusts: ['kube-system:efs-csi*'] },
  { id: 'vpc_cni', roleName: 'aos-prod-vpc-cni-controller', policies: [], managed: [`${AWS}AmazonEKS_CNI_Policy`], trusts: ['kube-system:aws-node*'] },
];

/** The two cluster roles. */
export const CLUSTER_ROLES: InventoryRole[] = [
  {
    id: 'control_plane',
    roleName: 'aos-prod-role',
    policies: [],
    managed: [`${AWS}AmazonEKSClusterPolicy`, `${AWS}AmazonEKSServicePolicy`, `${AWS}AmazonEKSVPCResourceController`],
    trusts: ['eks.amazonaws.com'],
  },
  {
    id: 'node_group',
    roleName: 'aos-prod-node-role',
    policies: [],
    managed: [
      `${AWS}AmazonEKSWorkerNodePolicy`,
      `${AWS}AmazonEKS_CNI_Policy`,
      `${AWS}CloudWatchAgentServerPolicy`,
      `${AWS}AmazonEC2ContainerRegistryReadOnly`,
      `${AWS}AmazonEC2ContainerRegistryPowerUser`,
    ],
    trusts: ['ec2.amazonaws.com'],
  },
];

/** Resources of the tables, for project aos, env prod and the example's defaults. */
export const RESOURCES = {
  backendBucket: 'arn:aws:s3:::aos-prod-backend',
  infraBucket: 'arn:aws:s3:::aos-prod-infra',
  secretUnderPath: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:aos-prod-db-password-AbCdEf',
  secretElsewhere: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-team-token-AbCdEf',
  instance: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0',
  kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  saasRole: 'arn:aws:iam::123456789012:role/aos-prod-saas',
  ec2Tag: { key: 'managedby', value: 'aos-app' },
};
