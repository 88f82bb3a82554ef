// Virtual MFA devices as AWS documents them (API_CreateVirtualMFADevice.html, API_VirtualMFADevice.html,
// API_EnableMFADevice.html, API_DeactivateMFADevice.html, API_DeleteVirtualMFADevice.html,
// API_ListMFADevices.html, API_ListVirtualMFADevices.html, API_ResyncMFADevice.html,
// API_TagMFADevice.html, id_credentials_mfa_enable-overview.html, RFC 6238), over a real in-memory store:
// the seed shown once and stored sealed, enabling with two consecutive codes, eight devices per user,
// deactivating and deleting, resync after clock drift, codes good once, tags, and the authorization
// targets from the Service Authorization Reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Secret } from 'otpauth';
import { newSealingKey, SecretSealer } from '../../src/auth/secrets.js';
import { secretSealing } from '../../src/auth/server-keys.js';
import type { OperationContext } from '../../src/iam/operation.js';
import { acceptMfaCode } from '../../src/iam/mfa-sign-in.js';
import type { VirtualMfaDevice } from '../../src/model/entities.js';
import { ACCOUNT, asUser, NOW, call, newContext, operation, rejects } from './fixtures.js';
import { codeStepsFrom, consecutiveCodes } from './totp-codes.js';

const SERIAL = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:mfa${path}${name}`;
const MINUTE = 60_000;

/** The context of `context`'s store and account at another moment. */
function at(context: OperationContext, moment: Date): OperationContext {
  return { ...context, now: moment };
}

/** The context of an IAM user of the account, over the same store. */
/** Creates a device and returns its serial number and seed (the base32 text the CLI writes to --outfile). */
async function createDevice(context: OperationContext, name: string, more: Record<string, unknown> = {}): Promise<{ serial: string; seed: string }> {
  const { VirtualMFADevice: device } = await call(context, 'CreateVirtualMFADevice', { VirtualMFADeviceName: name, ...more });
  return { serial: device.SerialNumber, seed: device.Base32StringSeed };
}

/** A user with an enabled device, enabled with the codes of the two steps before NOW. */
async function userWithDevice(context: OperationContext, userName = 'alice'): Promise<{ serial: string; seed: string }> {
  await call(context, 'CreateUser', { UserName: userName });
  const device = await createDevice(context, userName);
  await call(context, 'EnableMFADevice', { UserName: userName, SerialNumber: device.serial, ...consecutiveCodes(device.seed, context.now) });
  return device;
}

test('CreateVirtualMFADevice: serial number arn:aws:iam::ACCOUNT:mfa/PATH/NAME, a base32 seed and a QR code PNG (API_VirtualMFADevice.html)', async () => {
  const context = newContext();
  const out = await call(context, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice-phone', Path: '/division/' });
  const device = out.VirtualMFADevice;
  assert.equal(device.SerialNumber, SERIAL('alice-phone', '/division/'));
  assert.match(device.Base32StringSeed, /^[A-Z2-7]{64}$/, 'a 64-character RFC 3548 base32 seed');
  assert.equal(Secret.fromBase32(device.Base32StringSeed).bytes.length, 40);
  assert.ok(device.QRCodePNG instanceof Uint8Array);
  assert.deepEqual([...device.QRCodePNG.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG image');
  assert.equal(device.User, undefined, 'a new device is assigned to no one');
  const other = await createDevice(context, 'bob-phone');
  assert.notEqual(other.seed, device.Base32StringSeed, 'every device gets its own seed');
});

test('the seed is shown once and stored only sealed, bound to the serial number', async () => {
  const secrets = secretSealing(new SecretSealer([newSealingKey('test')]));
  const context = { ...newContext(), secrets };
  const { serial, seed } = await createDevice(context, 'alice');
  const stored = await context.store.read((reader) => reader.get<VirtualMfaDevice>('mfaDevice', ACCOUNT, '/alice'));
  assert.ok(stored);
  assert.equal(JSON.stringify(stored).includes(seed), false, 'the seed never appears in the stored entity');
  assert.equal(secrets.unseal(stored.SealedSeed, `iam:mfa-seed:${serial}`), seed);
  assert.throws(() => secrets.unseal(stored.SealedSeed, `iam:mfa-seed:${SERIAL('mallory')}`), 'the sealed seed opens for its own device only');
  const listed = await call(context, 'ListVirtualMFADevices', {});
  assert.deepEqual(listed.VirtualMFADevices, [{ SerialNumber: serial }], 'listings carry neither seed nor QR code');
});

test('a device at the same path and name exists already: EntityAlreadyExists; another path is another device', async () => {
  const context = newContext();
  await createDevice(context, 'alice');
  await rejects(call(context, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice' }), 'EntityAlreadyExists', 'MFA device already exists.');
  await rejects(call(context, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'ALICE' }), 'EntityAlreadyExists', 'MFA device already exists.');
  assert.equal((await createDevice(context, 'alice', { Path: '/backup/' })).serial, SERIAL('alice', '/backup/'));
});

test('input the model refuses never reaches the operation: six-digit codes, serial numbers of 9 to 256 characters', async () => {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice' });
  const { serial } = await createDevice(context, 'alice');
  await assert.rejects(call(context, 'EnableMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '12345', AuthenticationCode2: '123456' }), { code: 'ValidationError' });
  await assert.rejects(call(context, 'DeleteVirtualMFADevice', { SerialNumber: 'short' }), { code: 'ValidationError' });
});

test('EnableMFADevice with two consecutive codes assigns the device; ListMFADevices and ListVirtualMFADevices show it (API_EnableMFADevice.html)', async () => {
  const context = newContext();
  const { serial } = await userWithDevice(context, 'alice');
  const spare = await createDevice(context, 'spare');
  assert.deepEqual(await call(context, 'ListMFADevices', { UserName: 'ALICE' }), {
    MFADevices: [{ UserName: 'alice', SerialNumber: serial, EnableDate: NOW.toISOString() }],
    IsTruncated: false,
  });
  const byStatus = async (AssignmentStatus?: string) =>
    (await call(context, 'ListVirtualMFADevices', AssignmentStatus ? { AssignmentStatus } : {})).VirtualMFADevices.map((device: { SerialNumber: string }) => device.SerialNumber);
  assert.deepEqual(await byStatus('Assigned'), [serial]);
  assert.deepEqual(await byStatus('Unassigned'), [spare.serial]);
  assert.deepEqual(await byStatus('Any'), [serial, spare.serial]);
  assert.deepEqual(await byStatus(), [serial, spare.serial], 'without an AssignmentStatus the operation defaults to Any');
  const [assigned] = (await call(context, 'ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })).VirtualMFADevices;
  assert.equal(assigned.User.UserName, 'alice');
  assert.equal(assigned.User.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(assigned.EnableDate, NOW.toISOString());
  assert.deepEqual(await call(context, 'GetMFADevice', { UserName: 'alice', SerialNumber: serial }), { UserName: 'alice', SerialNumber: serial, EnableDate: NOW.toISOString() });
});

test('codes that are not two consecutive codes of the device: InvalidAuthenticationCode, and the device stays unassigned', async () => {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice' });
  const { serial, seed } = await createDevice(context, 'alice');
  const enable = (codes: { AuthenticationCode1: string; AuthenticationCode2: string }) => call(context, 'EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...codes });
  const wrong = codeStepsFrom(seed, NOW, 0) === '000000' ? '111111' : '000000';
  const invalid = ['InvalidAuthenticationCode', 'Authentication code for device is not valid.'] as const;
  await rejects(enable({ AuthenticationCode1: wrong, AuthenticationCode2: codeStepsFrom(seed, NOW, 0) }), ...invalid);
  const same = codeStepsFrom(seed, NOW, 0);
  await rejects(enable({ AuthenticationCode1: same, AuthenticationCode2: same }), ...invalid);
  await rejects(enable({ AuthenticationCode1: codeStepsFrom(seed, NOW, 0), AuthenticationCode2: codeStepsFrom(seed, NOW, -1) }), ...invalid);
  // Codes from another device's seed.
  const other = await createDevice(context, 'other');
  await rejects(enable(consecutiveCodes(other.seed, NOW)), ...invalid);
  assert.deepEqual((await call(context, 'ListMFADevices', { UserName: 'alice' })).MFADevices, []);
  // Five minutes either way is the search window; older codes no longer count.
  await rejects(enable(consecutiveCodes(seed, NOW, 11)), ...invalid);
  await call(context, 'EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...consecutiveCodes(seed, NOW, 9) });
});

test('a device enabled for one user cannot be enabled again, and unknown users or devices are NoSuchEntity', async () => {
  const context = newContext();
  const { serial, seed } = await userWithDevice(context, 'alice');
  await call(context, 'CreateUser', { UserName: 'bob' });
  const later = at(context, new Date(NOW.getTime() + 2 * MINUTE));
  await rejects(call(later, 'EnableMFADevice', { UserName: 'bob', SerialNumber: serial, ...consecutiveCodes(seed, later.now) }), 'EntityAlreadyExists', 'MFA Device is already in use.');
  const { seed: spareSeed, serial: spare } = await createDevice(context, 'spare');
  await rejects(call(context, 'EnableMFADevice', { UserName: 'nobody', SerialNumber: spare, ...consecutiveCodes(spareSeed, NOW) }), 'NoSuchEntity', 'The user with name nobody cannot be found.');
  await rejects(
    call(context, 'EnableMFADevice', { UserName: 'bob', SerialNumber: SERIAL('missing'), ...consecutiveCodes(spareSeed, NOW) }),
    'NoSuchEntity',
    `MFA Device with serial number ${SERIAL('missing')} does not exist.`,
  );
  const foreign = `arn:aws:iam::210987654321:mfa/spare`;
  await rejects(call(context, 'EnableMFADevice', { UserName: 'bob', SerialNumber: foreign, ...consecutiveCodes(spareSeed, NOW) }), 'NoSuchEntity', `MFA Device with serial number ${foreign} does not exist.`);
});

test('a user may have up to eight MFA devices (id_credentials_mfa_enable-overview.html): the ninth is LimitExceeded', async () => {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice' });
  for (let i = 1; i <= 9; i++) {
    const { serial, seed } = await createDevice(context, `alice-${i}`);
    const enabling = call(context, 'EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...consecutiveCodes(seed, NOW) });
    if (i <= 8) await enabling;
    else await rejects(enabling, 'LimitExceeded', 'Cannot exceed quota for MFADevicesPerUser: 8');
  }
  assert.equal((await call(context, 'ListMFADevices', { UserName: 'alice' })).MFADevices.length, 8);
  const summary = (await call(context, 'GetAccountSummary', {})).SummaryMap;
  assert.equal(summary.MFADevices, 9, 'GetAccountSummary counts every virtual device');
  assert.equal(summary.MFADevicesInUse, 8, 'and the ones assigned');
});

test('DeleteVirtualMFADevice refuses an assigned device (DeleteConflict) until DeactivateMFADevice takes it back', async () => {
  const context = newContext();
  const { serial } = await userWithDevice(context, 'alice');
  await rejects(call(context, 'DeleteVirtualMFADevice', { SerialNumber: serial }), 'DeleteConflict', 'Cannot delete entity, the MFA device is assigned to a user: deactivate it first.');
  await rejects(call(context, 'DeactivateMFADevice', { UserName: 'bob', SerialNumber: serial }), 'NoSuchEntity', 'The user with name bob cannot be found.');
  await call(context, 'CreateUser', { UserName: 'bob' });
  await rejects(call(context, 'DeactivateMFADevice', { UserName: 'bob', SerialNumber: serial }), 'NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`);
  await call(context, 'DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial });
  assert.deepEqual((await call(context, 'ListMFADevices', { UserName: 'alice' })).MFADevices, []);
  assert.deepEqual((await call(context, 'ListVirtualMFADevices', { AssignmentStatus: 'Unassigned' })).VirtualMFADevices, [{ SerialNumber: serial }]);
  await call(context, 'DeleteVirtualMFADevice', { SerialNumber: serial });
  await rejects(call(context, 'DeleteVirtualMFADevice', { SerialNumber: serial }), 'NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`);
});

test('DeleteUser refuses a user with an MFA device: "Cannot delete entity, must delete MFA device first." (API_DeleteUser.html)', async () => {
  const context = newContext();
  const { serial } = await userWithDevice(context, 'alice');
  await rejects(call(context, 'DeleteUser', { UserName: 'alice' }), 'DeleteConflict', 'Cannot delete entity, must delete MFA device first.');
  await call(context, 'DeactivateMFADevice', { UserName: 'alice', SerialNumber: serial });
  await call(context, 'DeleteUser', { UserName: 'alice' });
});

test('a renamed user keeps its MFA devices', async () => {
  const context = newContext();
  const { serial } = await userWithDevice(context, 'alice');
  await call(context, 'UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });
  assert.deepEqual((await call(context, 'ListMFADevices', { UserName: 'alicia' })).MFADevices.map((device: { SerialNumber: string }) => device.SerialNumber), [serial]);
  assert.equal((await call(context, 'GetMFADevice', { UserName: 'alicia', SerialNumber: serial })).UserName, 'alicia');
});

test('ListMFADevices, DeactivateMFADevice and GetMFADevice default to the calling user; the root user has no devices through the API', async () => {
  const context = newContext();
  const { serial } = await userWithDevice(context, 'alice');
  const alice = asUser(context, 'alice');
  assert.deepEqual((await call(alice, 'ListMFADevices', {})).MFADevices.map((device: { SerialNumber: string }) => device.SerialNumber), [serial]);
  assert.equal((await call(alice, 'GetMFADevice', { SerialNumber: serial })).SerialNumber, serial);
  assert.deepEqual((await call(context, 'ListMFADevices', {})).MFADevices, [], 'root credentials without UserName: the root user');
  await rejects(call(context, 'GetMFADevice', { SerialNumber: serial }), 'NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`);
  await call(alice, 'DeactivateMFADevice', { SerialNumber: serial });
  assert.deepEqual((await call(alice, 'ListMFADevices', {})).MFADevices, []);
});

test('a code is good once and only about now (RFC 6238 §5.2): one step of tolerance either way, never a code already accepted', async () => {
  const context = newContext();
  const { serial, seed } = await userWithDevice(context, 'alice');
  const signIn = (moment: Date, code: string) => acceptMfaCode(at(context, moment), 'alice', serial, code);
  assert.equal(await signIn(NOW, codeStepsFrom(seed, NOW, 0)), 'accepted');
  assert.equal(await signIn(NOW, codeStepsFrom(seed, NOW, 0)), 'invalid-code', 'the same code again: a replay');
  assert.equal(await signIn(NOW, codeStepsFrom(seed, NOW, -1)), 'invalid-code', 'the enabling codes are used up, and so is anything before an accepted code');
  assert.equal(await signIn(NOW, codeStepsFrom(seed, NOW, 1)), 'accepted', 'the next code, 30 seconds early');
  const later = new Date(NOW.getTime() + 10 * MINUTE);
  assert.equal(await signIn(later, codeStepsFrom(seed, later, -2)), 'invalid-code', 'a minute late');
  assert.equal(await signIn(later, codeStepsFrom(seed, later, 2)), 'invalid-code', 'a minute early');
  assert.equal(await signIn(later, codeStepsFrom(seed, later, -1)), 'accepted');
  assert.equal(await signIn(later, codeStepsFrom(seed, later, 0)), 'accepted');
  assert.equal(await acceptMfaCode(at(context, later), 'bob', serial, codeStepsFrom(seed, later, 1)), 'not-the-users-device');
  assert.equal(await acceptMfaCode(at(context, later), undefined, serial, codeStepsFrom(seed, later, 1)), 'not-the-users-device', 'the root user has no devices');
  assert.equal(await acceptMfaCode(at(context, later), 'alice', SERIAL('missing'), codeStepsFrom(seed, later, 1)), 'not-the-users-device');
});

test('codes generated long before enabling leave the device out of sync until ResyncMFADevice (API_EnableMFADevice.html, API_ResyncMFADevice.html)', async () => {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice' });
  const { serial, seed } = await createDevice(context, 'alice');
  // The user read the two codes off the app, then submitted them three minutes later.
  await call(context, 'EnableMFADevice', { UserName: 'alice', SerialNumber: serial, ...consecutiveCodes(seed, NOW, 6) });
  const later = at(context, new Date(NOW.getTime() + 5 * MINUTE));
  assert.equal(await acceptMfaCode(later, 'alice', serial, codeStepsFrom(seed, later.now, 0)), 'invalid-code', 'out of sync');
  await rejects(
    call(later, 'ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000000' }),
    'InvalidAuthenticationCode',
    'Authentication code for device is not valid.',
  );
  await call(later, 'ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...consecutiveCodes(seed, later.now, 0) });
  const next = at(context, new Date(later.now.getTime() + 30_000));
  assert.equal(await acceptMfaCode(next, 'alice', serial, codeStepsFrom(seed, next.now, 0)), 'accepted');
  await call(context, 'CreateUser', { UserName: 'bob' });
  await rejects(
    call(next, 'ResyncMFADevice', { UserName: 'bob', SerialNumber: serial, ...consecutiveCodes(seed, next.now, 0) }),
    'NoSuchEntity',
    `MFA Device with serial number ${serial} does not exist.`,
  );
});

test('a device whose clock runs ahead is resynchronised to its offset (API_ResyncMFADevice.html)', async () => {
  const context = newContext();
  const { serial, seed } = await userWithDevice(context, 'alice');
  const ahead = 4 * MINUTE;
  const later = at(context, new Date(NOW.getTime() + 10 * MINUTE));
  const deviceNow = new Date(later.now.getTime() + ahead);
  assert.equal(await acceptMfaCode(later, 'alice', serial, codeStepsFrom(seed, deviceNow, 0)), 'invalid-code');
  await call(later, 'ResyncMFADevice', { UserName: 'alice', SerialNumber: serial, ...consecutiveCodes(seed, deviceNow, 0) });
  const next = at(context, new Date(later.now.getTime() + 60_000));
  assert.equal(await acceptMfaCode(next, 'alice', serial, codeStepsFrom(seed, new Date(next.now.getTime() + ahead), 0)), 'accepted');
});

test('TagMFADevice, UntagMFADevice, ListMFADeviceTags; CreateVirtualMFADevice takes tags and answers them (API_TagMFADevice.html)', async () => {
  const context = newContext();
  const created = (await call(context, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice', Tags: [{ Key: 'team', Value: 'red' }] })).VirtualMFADevice;
  assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'red' }]);
  const serial = created.SerialNumber;
  await call(context, 'TagMFADevice', { SerialNumber: serial, Tags: [{ Key: 'TEAM', Value: 'blue' }, { Key: 'cost', Value: '42' }] });
  assert.deepEqual(await call(context, 'ListMFADeviceTags', { SerialNumber: serial }), {
    Tags: [{ Key: 'cost', Value: '42' }, { Key: 'TEAM', Value: 'blue' }],
    IsTruncated: false,
  });
  await call(context, 'UntagMFADevice', { SerialNumber: serial, TagKeys: ['team', 'absent'] });
  assert.deepEqual((await call(context, 'ListMFADeviceTags', { SerialNumber: serial })).Tags, [{ Key: 'cost', Value: '42' }]);
  await rejects(call(context, 'TagMFADevice', { SerialNumber: serial, Tags: [{ Key: 'aws:x', Value: 'y' }] }), 'InvalidInput', "User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS use.");
  await rejects(call(context, 'ListMFADeviceTags', { SerialNumber: SERIAL('missing') }), 'NoSuchEntity', `MFA Device with serial number ${SERIAL('missing')} does not exist.`);
  assert.deepEqual((await call(context, 'ListVirtualMFADevices', {})).VirtualMFADevices, [{ SerialNumber: serial }], 'listings leave tags out');
});

test('authorization targets follow the Service Authorization Reference: mfa resources, user resources, the listed mfa/ path', async () => {
  const context = newContext();
  await call(context, 'CreateUser', { UserName: 'alice', Path: '/staff/' });
  const { serial } = await createDevice(context, 'alice', { Tags: [{ Key: 'team', Value: 'red' }] });
  const targets = (name: string, input: Record<string, unknown>) => operation(name).authorize(context, input);
  assert.deepEqual(await targets('CreateVirtualMFADevice', { VirtualMFADeviceName: 'bob', Path: '/p/', Tags: [{ Key: 'k', Value: 'v' }] }), [
    { action: 'iam:CreateVirtualMFADevice', resource: SERIAL('bob', '/p/'), context: { 'aws:RequestTag/k': 'v', 'aws:TagKeys': ['k'] } },
  ]);
  assert.deepEqual(await targets('DeleteVirtualMFADevice', { SerialNumber: serial }), [
    { action: 'iam:DeleteVirtualMFADevice', resource: serial, context: { 'aws:ResourceTag/team': 'red' } },
  ]);
  const userArn = `arn:aws:iam::${ACCOUNT}:user/staff/alice`;
  for (const name of ['EnableMFADevice', 'ResyncMFADevice', 'DeactivateMFADevice', 'ListMFADevices', 'GetMFADevice']) {
    const [target] = await targets(name, { UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' });
    assert.equal(target!.action, `iam:${name}`);
    assert.equal(target!.resource, userArn, `${name} is authorized on the user`);
  }
  assert.deepEqual(await targets('ListVirtualMFADevices', {}), [{ action: 'iam:ListVirtualMFADevices', resource: `arn:aws:iam::${ACCOUNT}:mfa/` }]);
  assert.equal((await targets('TagMFADevice', { SerialNumber: serial, Tags: [{ Key: 'a', Value: 'b' }] }))[0]!.context!['aws:RequestTag/a'], 'b');
  assert.deepEqual((await targets('UntagMFADevice', { SerialNumber: serial, TagKeys: ['team'] }))[0]!.context!['aws:TagKeys'], ['team']);
  assert.equal((await targets('ListMFADeviceTags', { SerialNumber: serial }))[0]!.resource, serial);
});
