/**
 * Seed 000's "Permissions by Service Account" tables as probes: one action and resource per policy of
 * the seed, and the service accounts the seed grants it to (blueprint defaults: project aos, env dev,
 * account 123456789012, us-east-1).
 */
import assert from 'node:assert/strict';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, type E2eServer } from '../e2e/harness.js';

export interface PermissionProbe {
  policy: string;
  action: string;
  resource: string;
  allowedFor: string[];
}

const BACKEND = ['sa-app', 'sa-task', 'sa-sd', 'sa-base', 'sa-data-services', 'sa-uqm'];
const EC2_TASK = ['sa-task', 'sa-base', 'sa-uqm'];
const SECRETS = ['sa-task', 'sa-secrets-manager', 'sa-base'];

/** The SaaS role sa_base's `saas` policy may assume (the blueprint's default AWS_SAAS_ARN). */
export const SAAS_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/aos-dev-saas`;

export const PERMISSION_PROBES: PermissionProbe[] = [
  { policy: 'default_backend', action: 's3:GetObject', resource: 'arn:aws:s3:::aos-dev-backend/deployables/item-1', allowedFor: BACKEND },
  { policy: 'default_backend', action: 's3:ListBucket', resource: 'arn:aws:s3:::aos-dev-backend', allowedFor: BACKEND },
  { policy: 'ec2_task', action: 'ec2:DescribeInstances', resource: '*', allowedFor: EC2_TASK },
  { policy: 'secrets_manager_rw', action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:aos-dev-db-AbCdEf`, allowedFor: SECRETS },
  { policy: 's3_infra', action: 's3:PutObject', resource: 'arn:aws:s3:::aos-dev-infra/artifacts/x', allowedFor: ['sa-base'] },
  { policy: 'saas', action: 'aws-marketplace:ResolveCustomer', resource: '*', allowedFor: ['sa-base'] },
  // saas's sts:AssumeRole on the SaaS role is checked by real calls: simulating an AssumeRole evaluates
  // the role's trust policy, which SimulatePrincipalPolicy without ResourcePolicy does not supply.
  { policy: 'CloudWatchAgentServerPolicy', action: 'logs:PutLogEvents', resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aos/dev:log-stream:app`, allowedFor: ['sa-base'] },
  { policy: '(none)', action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT_ID}:user/intruder`, allowedFor: [] },
];

/** Creates the SaaS role, trusting the account, so sa_base's real sts:AssumeRole can succeed. */
export async function createSaasRole(server: E2eServer): Promise<void> {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] };
  const created = await server.iam().send(new CreateRoleCommand({ RoleName: 'aos-dev-saas', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  assert.equal(created.Role?.Arn, SAAS_ROLE);
}
