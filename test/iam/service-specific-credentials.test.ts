// Service-specific credentials (API_CreateServiceSpecificCredential.html, API_ServiceSpecificCredential.html,
// API_ListServiceSpecificCredentials.html, API_ResetServiceSpecificCredential.html,
// API_UpdateServiceSpecificCredential.html, API_DeleteServiceSpecificCredential.html): the generated
// `<user>-at-<account>` name, a password shown once and stored sealed, two per user per service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpecificCredential } from '../../src/model/entities.js';
import { auditView } from '../../src/server/audit.js';
import { ACCOUNT, call, newContext, rejects } from './fixtures.js';

const CODECOMMIT = 'codecommit.amazonaws.com';

async function contextWithUser() {
  const sealed: string[] = [];
  const context = { ...newContext(), secrets: { seal: (secret: string, bound?: string) => { sealed.push(secret); return `sealed(${bound}):${secret.length}`; }, unseal: () => '' } };
  await call(context, 'CreateUser', { UserName: 'sofia' });
  return { context, sealed };
}

test('CreateServiceSpecificCredential: ACCA id, <user>-at-<account>, a fresh password returned once and stored only sealed', async () => {
  const { context, sealed } = await contextWithUser();
  const { ServiceSpecificCredential: credential } = await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT });
  assert.match(credential.ServiceSpecificCredentialId, /^ACCA[A-Z2-7]{17}$/);
  assert.equal(credential.ServiceUserName, `sofia-at-${ACCOUNT}`);
  assert.equal(credential.ServicePassword.length, 44);
  assert.deepEqual(sealed, [credential.ServicePassword]);
  assert.equal(credential.Status, 'Active');
  const stored = await context.store.read((reader) => reader.get<ServiceSpecificCredential>('serviceSpecificCredential', ACCOUNT, credential.ServiceSpecificCredentialId));
  assert.ok(!JSON.stringify(stored).includes(credential.ServicePassword));
  // The listing never carries the password.
  const listed = await call(context, 'ListServiceSpecificCredentials', { UserName: 'sofia' });
  assert.equal(listed.ServiceSpecificCredentials[0].ServicePassword, undefined);
});

test('CreateServiceSpecificCredential: two per user per service, the second named <user>+1-at-<account>; other services count apart', async () => {
  const { context } = await contextWithUser();
  await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT });
  const second = (await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT })).ServiceSpecificCredential;
  assert.equal(second.ServiceUserName, `sofia+1-at-${ACCOUNT}`);
  await rejects(
    call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT }),
    'LimitExceeded',
    'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2',
  );
  await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: 'cassandra.amazonaws.com' });
  const codecommitOnly = await call(context, 'ListServiceSpecificCredentials', { UserName: 'sofia', ServiceName: CODECOMMIT });
  assert.equal(codecommitOnly.ServiceSpecificCredentials.length, 2);
});

test('CreateServiceSpecificCredential: NotSupportedService for other services; CredentialAgeDays only for Bedrock API keys', async () => {
  const { context } = await contextWithUser();
  await rejects(
    call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: 's3.amazonaws.com' }),
    'NotSupportedService',
    'No such service s3.amazonaws.com is supported for Service Specific Credentials',
  );
  await rejects(
    call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT, CredentialAgeDays: 1 }),
    'InvalidInput',
    'CredentialAgeDays is only valid for Bedrock API keys.',
  );
  const { ServiceSpecificCredential: key } = await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: 'bedrock.amazonaws.com', CredentialAgeDays: 30 });
  assert.equal(key.ServiceCredentialAlias, `sofia-at-${ACCOUNT}`);
  assert.equal(key.ServiceCredentialSecret.length, 44);
  assert.equal(key.ServicePassword, undefined);
  assert.equal(key.ExpirationDate, new Date(context.now.getTime() + 30 * 86_400_000).toISOString());
  // Past its expiration the key lists as Expired.
  const later = { ...context, now: new Date(context.now.getTime() + 31 * 86_400_000) };
  assert.equal((await call(later, 'ListServiceSpecificCredentials', { UserName: 'sofia' })).ServiceSpecificCredentials[0].Status, 'Expired');
});

test('ResetServiceSpecificCredential, UpdateServiceSpecificCredential, DeleteServiceSpecificCredential; AllUsers lists the account', async () => {
  const { context } = await contextWithUser();
  const created = (await call(context, 'CreateServiceSpecificCredential', { UserName: 'sofia', ServiceName: CODECOMMIT })).ServiceSpecificCredential;
  const id = created.ServiceSpecificCredentialId;
  const reset = (await call(context, 'ResetServiceSpecificCredential', { UserName: 'sofia', ServiceSpecificCredentialId: id })).ServiceSpecificCredential;
  assert.notEqual(reset.ServicePassword, created.ServicePassword);
  assert.equal(reset.ServiceUserName, created.ServiceUserName);
  await call(context, 'UpdateServiceSpecificCredential', { UserName: 'sofia', ServiceSpecificCredentialId: id, Status: 'Inactive' });
  await call(context, 'CreateUser', { UserName: 'jane' });
  await call(context, 'CreateServiceSpecificCredential', { UserName: 'jane', ServiceName: CODECOMMIT });
  const all = await call(context, 'ListServiceSpecificCredentials', { AllUsers: true });
  assert.deepEqual(all.ServiceSpecificCredentials.map((entry: { UserName: string }) => entry.UserName).sort(), ['jane', 'sofia']);
  assert.equal(all.ServiceSpecificCredentials.find((entry: { UserName: string }) => entry.UserName === 'sofia').Status, 'Inactive');
  await rejects(call(context, 'DeleteUser', { UserName: 'sofia' }), 'DeleteConflict', 'Cannot delete entity, must delete service specific credentials first.');
  await rejects(
    call(context, 'DeleteServiceSpecificCredential', { UserName: 'jane', ServiceSpecificCredentialId: id }),
    'NoSuchEntity',
    `The Service Specific Credential with id ${id} cannot be found.`,
  );
  await call(context, 'DeleteServiceSpecificCredential', { UserName: 'sofia', ServiceSpecificCredentialId: id });
  await call(context, 'DeleteUser', { UserName: 'sofia' });
});

test('audit trail: ServicePassword and ServiceCredentialSecret are hidden (secrets are never logged)', () => {
  const view = auditView({ ServiceSpecificCredential: { ServiceUserName: 'sofia-at-1', ServicePassword: 'p4ss', ServiceCredentialSecret: 's3cret' } }) as Record<string, Record<string, unknown>>;
  assert.equal(view.serviceSpecificCredential!.serviceUserName, 'sofia-at-1');
  assert.notEqual(view.serviceSpecificCredential!.servicePassword, 'p4ss');
  assert.notEqual(view.serviceSpecificCredential!.serviceCredentialSecret, 's3cret');
});
