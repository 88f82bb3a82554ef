// The credential report (API_GenerateCredentialReport.html, API_GetCredentialReport.html,
// id_credentials_getting-report.html): AWS's columns and values, the <root_account> row first, and the
// report's lifecycle (STARTED then COMPLETE, ReportNotPresent, ReportExpired after four hours).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_REPORT_COLUMNS } from '../../src/iam/credential-report.js';
import type { AccessKey, SigningCertificate } from '../../src/model/entities.js';
import { ACCOUNT, NOW, call, newContext, rejects } from './fixtures.js';
import type { OperationContext } from '../../src/iam/operation.js';

const HOUR = 60 * 60 * 1000;
const at = (context: OperationContext, ms: number): OperationContext => ({ ...context, now: new Date(NOW.getTime() + ms) });
const reportTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** The report's rows as objects keyed by column. */
async function reportRows(context: OperationContext): Promise<Array<Record<string, string>>> {
  const report = await call(context, 'GetCredentialReport', {});
  const [header, ...lines] = (report.Content as Buffer).toString('utf8').split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
}

test('The report has AWS\'s 22 columns in AWS\'s order (id_credentials_getting-report.html)', async () => {
  const root = newContext();
  await call(root, 'GenerateCredentialReport', {});
  const report = await call(root, 'GetCredentialReport', {});
  assert.equal(report.ReportFormat, 'text/csv');
  assert.equal(report.GeneratedTime, NOW.toISOString());
  const header = (report.Content as Buffer).toString('utf8').split('\n')[0];
  assert.equal(
    header,
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
      'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
      'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
      'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  );
  assert.equal(CREDENTIAL_REPORT_COLUMNS.length, 22);
});

test('The root user is the first row, <root_account>, its password columns not_supported', async () => {
  const root = newContext();
  await call(root, 'GenerateCredentialReport', {});
  const [first] = await reportRows(root);
  assert.equal(first!.user, '<root_account>');
  assert.equal(first!.arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(first!.password_enabled, 'not_supported');
  assert.equal(first!.password_last_used, 'no_information');
  assert.equal(first!.password_last_changed, 'not_supported');
  assert.equal(first!.password_next_rotation, 'not_supported');
  assert.equal(first!.mfa_active, 'false');
  assert.equal(first!.access_key_1_active, 'false');
  assert.equal(first!.access_key_1_last_rotated, 'N/A');
});

test('A user without credentials: false and N/A everywhere', async () => {
  const root = newContext();
  await call(root, 'CreateUser', { UserName: 'bare' });
  await call(root, 'GenerateCredentialReport', {});
  const row = (await reportRows(root)).find((r) => r.user === 'bare')!;
  assert.equal(row.arn, `arn:aws:iam::${ACCOUNT}:user/bare`);
  assert.equal(row.user_creation_time, reportTime(NOW));
  for (const column of ['password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active', 'cert_1_active', 'cert_2_active']) assert.equal(row[column], 'false', column);
  for (const column of ['password_last_used', 'password_last_changed', 'password_next_rotation', 'access_key_1_last_rotated', 'access_key_1_last_used_date',
    'access_key_1_last_used_region', 'access_key_1_last_used_service', 'access_key_2_last_rotated', 'cert_1_last_rotated', 'cert_2_last_rotated']) {
    assert.equal(row[column], 'N/A', column);
  }
});

test('Password, rotation under MaxPasswordAge, MFA, access keys with their last use, and signing certificates', async () => {
  const root = newContext();
  await call(root, 'UpdateAccountPasswordPolicy', { MaxPasswordAge: 90 });
  await call(root, 'CreateUser', { UserName: 'alice' });
  await call(root, 'CreateLoginProfile', { UserName: 'alice', Password: 'Alice-Password-1' });
  const first = (await call(root, 'CreateAccessKey', { UserName: 'alice' })).AccessKey.AccessKeyId as string;
  const second = (await call(at(root, HOUR), 'CreateAccessKey', { UserName: 'alice' })).AccessKey.AccessKeyId as string;
  await call(root, 'UpdateAccessKey', { UserName: 'alice', AccessKeyId: second, Status: 'Inactive' });
  const usedAt = new Date(NOW.getTime() + 2 * HOUR).toISOString();
  await root.store.write(async (writer) => {
    const key = (await writer.get<AccessKey>('accessKey', ACCOUNT, first))!;
    await writer.put<AccessKey>('accessKey', ACCOUNT, first, { ...key, LastUsed: { LastUsedDate: usedAt, ServiceName: 's3', Region: 'eu-west-1' } });
    const certificate: SigningCertificate = {
      AccountId: ACCOUNT, UserName: 'alice', CertificateId: 'CERTEXAMPLE1', CertificateBody: '-', Sha256Fingerprint: '-', Status: 'Active', UploadDate: NOW.toISOString(),
    };
    await writer.put('signingCertificate', ACCOUNT, certificate.CertificateId, certificate);
  });
  const { SerialNumber } = (await call(root, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice-mfa' })).VirtualMFADevice;
  await root.store.write(async (writer) => {
    const device = (await writer.get<Record<string, unknown>>('mfaDevice', ACCOUNT, '/alice-mfa'))!;
    await writer.put('mfaDevice', ACCOUNT, '/alice-mfa', { ...device, UserName: 'alice', EnableDate: NOW.toISOString() });
  });
  assert.ok(SerialNumber);

  const later = at(root, 3 * HOUR);
  await call(later, 'GenerateCredentialReport', {});
  const row = (await reportRows(later)).find((r) => r.user === 'alice')!;
  assert.equal(row.password_enabled, 'true');
  assert.equal(row.password_last_used, 'no_information', 'a password never used');
  assert.equal(row.password_last_changed, reportTime(NOW));
  assert.equal(row.password_next_rotation, reportTime(new Date(NOW.getTime() + 90 * 24 * HOUR)));
  assert.equal(row.mfa_active, 'true');
  assert.equal(row.access_key_1_active, 'true');
  assert.equal(row.access_key_1_last_rotated, reportTime(NOW));
  assert.equal(row.access_key_1_last_used_date, reportTime(new Date(usedAt)));
  assert.equal(row.access_key_1_last_used_region, 'eu-west-1');
  assert.equal(row.access_key_1_last_used_service, 's3');
  assert.equal(row.access_key_2_active, 'false', 'an inactive key');
  assert.equal(row.access_key_2_last_rotated, reportTime(new Date(NOW.getTime() + HOUR)));
  assert.equal(row.access_key_2_last_used_date, 'N/A');
  assert.equal(row.cert_1_active, 'true');
  assert.equal(row.cert_1_last_rotated, reportTime(NOW));
  assert.equal(row.cert_2_active, 'false');
});

test('GenerateCredentialReport: STARTED with AWS\'s description, then COMPLETE while the report is fresh (API_GenerateCredentialReport.html)', async () => {
  const root = newContext();
  assert.deepEqual(await call(root, 'GenerateCredentialReport', {}), { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
  assert.deepEqual(await call(at(root, HOUR), 'GenerateCredentialReport', {}), { State: 'COMPLETE' });
  // Four hours on, a new report replaces the old one.
  assert.deepEqual(await call(at(root, 4 * HOUR), 'GenerateCredentialReport', {}), { State: 'STARTED' });
  assert.equal((await call(at(root, 4 * HOUR), 'GetCredentialReport', {})).GeneratedTime, new Date(NOW.getTime() + 4 * HOUR).toISOString());
});

test('GetCredentialReport before any report: ReportNotPresent; four hours after generation: ReportExpired (API_GetCredentialReport.html)', async () => {
  const root = newContext();
  await rejects(call(root, 'GetCredentialReport', {}), 'ReportNotPresent', 'Unknown');
  await call(root, 'GenerateCredentialReport', {});
  await call(at(root, 4 * HOUR - 1), 'GetCredentialReport', {});
  await rejects(
    call(at(root, 4 * HOUR), 'GetCredentialReport', {}),
    'ReportExpired',
    'The credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
  );
});
