// The README's MFA example, run exactly as printed there (the AWS CLI v2 as `aws`, the built CLI as
// `rolecall`): a user who pastes it gets an MFA session (seed 003: MFA enforcement with short-lived
// session tokens; API_GetSessionToken.html).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { E2eServer, REPO_ROOT, cliJson } from './harness.js';

let server: E2eServer;
before(async () => {
  server = await E2eServer.start();
});
after(() => server?.stop());

/** The first sh code block after the README line that starts with `heading`. */
async function readmeBlockAfter(heading: string): Promise<string> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `README has a line starting "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  assert.ok(block, `a sh block follows "${heading}"`);
  return block[1]!;
}

test('README: the MFA example works as pasted — alice gets an access key, enables her virtual MFA device with two consecutive codes from rolecall mfa code, and gets an MFA session', async () => {
  const script = await readmeBlockAfter('MFA for a human user');
  const result = await server.bash(script, 'v2');
  assert.equal(result.status, 0, result.stderr);
  // The commands print one JSON document each (create-user, create-virtual-mfa-device, get-session-token).
  const lastDocument = result.stdout.slice(result.stdout.lastIndexOf('\n{'));
  const session = JSON.parse(lastDocument) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
  assert.match(session.Credentials.AccessKeyId, /^ASIA/);

  // The session is alice's, and the device it was made with is hers.
  const identity = cliJson<{ Arn: string }>(
    await server.bash(`AWS_SESSION_TOKEN='${session.Credentials.SessionToken}' aws sts get-caller-identity --output json`, 'v2', {
      credentials: { accessKeyId: session.Credentials.AccessKeyId, secretAccessKey: session.Credentials.SecretAccessKey },
    }),
  );
  assert.equal(identity.Arn, 'arn:aws:iam::123456789012:user/alice');
  const devices = cliJson<{ MFADevices: Array<{ UserName: string; SerialNumber: string }> }>(await server.awsV2(['iam', 'list-mfa-devices', '--user-name', 'alice']));
  assert.deepEqual(devices.MFADevices.map((device) => [device.UserName, device.SerialNumber]), [['alice', 'arn:aws:iam::123456789012:mfa/alice']]);
});
