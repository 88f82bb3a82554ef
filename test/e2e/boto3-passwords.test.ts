/**
 * boto3 against the real server for console passwords and the credential report: a password policy
 * refuses a weak login profile with PasswordPolicyViolation (API_CreateLoginProfile.html), accepts a strong
 * one, and botocore decodes GetCredentialReport's base64 Content back to the CSV bytes
 * (API_GetCredentialReport.html, id_credentials_getting-report.html).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, E2eServer } from './harness.js';

let server: E2eServer;

before(async () => {
  server = await E2eServer.start();
});

after(async () => {
  await server?.stop();
});

interface PasswordFlow {
  violation: { code: string; message: string; status: number };
  profile: { UserName: string; PasswordResetRequired: boolean };
  generated: Array<{ State: string; Description?: string }>;
  format: string;
  csv: string;
}

test('boto3: password policy, login profile and credential report', async () => {
  const flow = (await server.boto3(`
iam.update_account_password_policy(MinimumPasswordLength=12, RequireNumbers=True, RequireSymbols=True, MaxPasswordAge=30)
iam.create_user(UserName='console-user')
violation = client_error(iam.create_login_profile, UserName='console-user', Password='too-weak')
profile = iam.create_login_profile(UserName='console-user', Password='Much-Stronger-Pass-7', PasswordResetRequired=True)['LoginProfile']
generated = [{k: v for k, v in iam.generate_credential_report().items() if k != 'ResponseMetadata'} for _ in range(2)]
report = iam.get_credential_report()
out = {'violation': violation, 'profile': {'UserName': profile['UserName'], 'PasswordResetRequired': profile['PasswordResetRequired']},
       'generated': generated, 'format': report['ReportFormat'], 'csv': report['Content'].decode('utf-8')}
`)) as PasswordFlow;

  assert.deepEqual(flow.violation, { code: 'PasswordPolicyViolation', message: 'Password does not conform to the account password policy.', status: 400 });
  assert.deepEqual(flow.profile, { UserName: 'console-user', PasswordResetRequired: true });
  assert.deepEqual(flow.generated, [{ State: 'STARTED', Description: 'No report exists. Starting a new report generation task' }, { State: 'COMPLETE' }]);
  assert.equal(flow.format, 'text/csv');

  const [header, ...lines] = flow.csv.split('\n');
  const columns = header!.split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
  assert.equal(rows[0]!.user, '<root_account>');
  const row = rows.find((r) => r.user === 'console-user')!;
  assert.equal(row.arn, `arn:aws:iam::${ACCOUNT_ID}:user/console-user`);
  assert.equal(row.password_enabled, 'true');
  assert.equal(row.password_last_used, 'no_information');
  assert.match(row.password_last_changed!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert.equal(Date.parse(row.password_next_rotation!) - Date.parse(row.password_last_changed!), 30 * 24 * 60 * 60 * 1000);
  assert.equal(row.mfa_active, 'false');
  assert.equal(row.access_key_1_active, 'false');
  assert.equal(row.cert_1_active, 'false');
});
