/** IAM users with their own access keys, created by root through the API, for tests that act as them. */
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Credentials, E2eServer } from './harness.js';

export interface TestUser {
  userName: string;
  arn: string;
  userId: string;
  credentials: Credentials;
}

/** Creates a user (with inline policies, if given) and an access key for it, as root. */
export async function createUserWithKey(server: E2eServer, userName: string, inlinePolicies: Record<string, unknown> = {}): Promise<TestUser> {
  const iam = server.iam();
  const created = await iam.send(new CreateUserCommand({ UserName: userName }));
  for (const [policyName, document] of Object.entries(inlinePolicies)) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
  }
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return {
    userName,
    arn: created.User!.Arn!,
    userId: created.User!.UserId!,
    credentials: { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! },
  };
}
