/**
 * AWS CLI v2 end to end, AWS's rule for a trust policy naming a user that is then deleted
 * (reference_policies_elements_principal.html): the policy shows the deleted user's unique ID
 * ("AWS": "AIDA…"), and a user re-created with the same name has a new unique ID and cannot assume the role.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, type Credentials } from './harness.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

interface CreatedUser {
  User: { UserName: string; UserId: string; Arn: string };
}

/** Creates `alice` and an access key for her with the CLI, as root. */
async function createAlice(): Promise<{ user: CreatedUser['User']; credentials: Credentials }> {
  const { User: user } = cliJson<CreatedUser>(await server.awsV2(['iam', 'create-user', '--user-name', 'alice']));
  const { AccessKey: key } = cliJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(
    await server.awsV2(['iam', 'create-access-key', '--user-name', 'alice']),
  );
  return { user, credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } };
}

function assumeR(credentials: Credentials): ReturnType<E2eServer['awsV2']> {
  return server.awsV2(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT_ID}:role/R`, '--role-session-name', 's1'], { credentials });
}

async function trustedPrincipal(): Promise<unknown> {
  const { Role: role } = cliJson<{ Role: { AssumeRolePolicyDocument: { Statement: Array<{ Principal: { AWS: unknown } }> } } }>(
    await server.awsV2(['iam', 'get-role', '--role-name', 'R']),
  );
  return role.AssumeRolePolicyDocument.Statement[0]!.Principal.AWS;
}

test('reference_policies_elements_principal.html: after its trusted user is deleted, get-role shows the user\'s AIDA unique ID and a re-created alice cannot assume the role (AccessDenied)', async () => {
  const first = await createAlice();
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: first.user.Arn }, Action: 'sts:AssumeRole' }] };
  await writeFile(join(server.workDir, 'trust-alice.json'), JSON.stringify(trust));
  cliJson(await server.awsV2(['iam', 'create-role', '--role-name', 'R', '--assume-role-policy-document', 'file://trust-alice.json']));
  assert.equal(await trustedPrincipal(), first.user.Arn);
  // Trusted by ARN, the first alice may assume R.
  const session = cliJson<{ AssumedRoleUser: { Arn: string } }>(await assumeR(first.credentials));
  assert.equal(session.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT_ID}:assumed-role/R/s1`);

  cliJson(await server.awsV2(['iam', 'delete-access-key', '--user-name', 'alice', '--access-key-id', first.credentials.accessKeyId]));
  cliJson(await server.awsV2(['iam', 'delete-user', '--user-name', 'alice']));
  assert.match(first.user.UserId, /^AIDA[A-Z0-9]{17}$/);
  assert.equal(await trustedPrincipal(), first.user.UserId);

  const second = await createAlice();
  assert.equal(second.user.Arn, first.user.Arn);
  assert.notEqual(second.user.UserId, first.user.UserId);
  assert.deepEqual(cliError(await assumeR(second.credentials)), {
    code: 'AccessDenied',
    operation: 'AssumeRole',
    message: `User: ${second.user.Arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT_ID}:role/R`,
  });
  // The trust policy still shows the deleted user's ID: re-creating the name did not restore it.
  assert.equal(await trustedPrincipal(), first.user.UserId);
});
