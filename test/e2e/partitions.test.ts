/**
 * Partitions end to end (issue 11): clients signing for a region of another partition than `aws` — the
 * official AWS CLI v2 with AWS_REGION=cn-north-1, boto3 in us-gov-west-1 — against the real server. Each
 * server's account is bound to the partition of its first signed request, and from then on every ARN it
 * answers with names that partition: users, roles, AWS managed policies, assumed-role sessions, the caller
 * identity. A policy naming another partition's resources is refused when stored and matches nothing when
 * given as a session policy; credentials signed for a region of another partition are InvalidClientTokenId.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT_ID, E2eServer, type CommandResult, type Credentials } from './harness.js';

const TRUST_ACCOUNT_CN = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
});

/** The JSON a successful CLI call printed (its output members as the test expects them). */
function json<T = unknown>(result: CommandResult): T {
  assert.equal(result.status, 0, result.stderr);
  // Calls without output members (attach-role-policy, put-user-policy) print nothing.
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}

type Arned = { Arn: string };
type Assumed = { AssumedRoleUser: Arned; Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };

function refused(result: CommandResult, code: string, message: string): void {
  assert.notEqual(result.status, 0, result.stdout);
  assert.ok(result.stderr.includes(`(${code})`), result.stderr);
  assert.ok(result.stderr.includes(message), result.stderr);
}

describe('a China-region client (AWS CLI v2, AWS_REGION=cn-north-1)', () => {
  let server: E2eServer;
  /** The AWS CLI v2 signing for `region` (cn-north-1 unless given), with root's or the given keys. */
  let aws: (args: string[], options?: { credentials?: Credentials; region?: string; sessionToken?: string }) => Promise<CommandResult>;

  before(async () => {
    server = await E2eServer.start();
    aws = (args, options = {}) => {
      const quoted = args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
      const token = options.sessionToken ? `export AWS_SESSION_TOKEN='${options.sessionToken}'\n` : '';
      return server.bash(`${token}export AWS_REGION=${options.region ?? 'cn-north-1'}\naws ${quoted} --output json`, 'v2', options.credentials ? { credentials: options.credentials } : {});
    };
  });

  after(async () => {
    await server?.stop();
  });

  let user: Credentials;
  let session: { credentials: Credentials; sessionToken: string; arn: string };

  test('get-caller-identity names the root user in aws-cn (ARNs: "arn:aws-cn" for the China Regions)', async () => {
    const identity = json<Arned>(await aws(['sts', 'get-caller-identity']));
    assert.equal(identity.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:root`);
  });

  test('create-role and get-role answer arn:aws-cn role ARNs', async () => {
    const created = json<{ Role: Arned }>(await aws(['iam', 'create-role', '--role-name', 'app', '--path', '/team/', '--assume-role-policy-document', TRUST_ACCOUNT_CN]));
    assert.equal(created.Role.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app`);
    const got = json<{ Role: Arned }>(await aws(['iam', 'get-role', '--role-name', 'app']));
    assert.equal(got.Role.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app`);
  });

  test('AWS managed policies are arn:aws-cn:iam::aws:policy/...; an arn:aws: one is ValidationError "Invalid ARN partition"', async () => {
    const policy = json<{ Policy: Arned }>(await aws(['iam', 'get-policy', '--policy-arn', 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess']));
    assert.equal(policy.Policy.Arn, 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess');
    json(await aws(['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess']));
    const attached = json<{ AttachedPolicies: unknown[] }>(await aws(['iam', 'list-attached-role-policies', '--role-name', 'app']));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' }]);
    refused(await aws(['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess']), 'ValidationError', 'Invalid ARN partition');
    const listed = json<{ Policies: Arned[] }>(await aws(['iam', 'list-policies', '--scope', 'AWS', '--max-items', '5']));
    assert.ok(listed.Policies.length > 0 && listed.Policies.every((p) => p.Arn.startsWith('arn:aws-cn:iam::aws:policy/')));
  });

  test('a stored policy naming an arn:aws: resource is MalformedPolicyDocument: Partition "aws" is not valid for resource', async () => {
    const foreign = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] });
    refused(
      await aws(['iam', 'put-role-policy', '--role-name', 'app', '--policy-name', 'foreign', '--policy-document', foreign]),
      'MalformedPolicyDocument',
      'Partition "aws" is not valid for resource "arn:aws:s3:::bucket/*".',
    );
  });

  test('an IAM user of the account gets an arn:aws-cn user ARN and its own keys', async () => {
    const created = json<{ User: Arned }>(await aws(['iam', 'create-user', '--user-name', 'alice']));
    assert.equal(created.User.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:user/alice`);
    const mayAssume = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app` }],
    });
    json(await aws(['iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'assume', '--policy-document', mayAssume]));
    const key = json<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(await aws(['iam', 'create-access-key', '--user-name', 'alice'])).AccessKey;
    user = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const identity = json<Arned>(await aws(['sts', 'get-caller-identity'], { credentials: user }));
    assert.equal(identity.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:user/alice`);
  });

  test('assume-role returns an arn:aws-cn:sts assumed-role ARN, and get-caller-identity with the session says so', async () => {
    const assumed = json<Assumed>(await aws(['sts', 'assume-role', '--role-arn', `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app`, '--role-session-name', 'build'], { credentials: user }));
    assert.equal(assumed.AssumedRoleUser.Arn, `arn:aws-cn:sts::${ACCOUNT_ID}:assumed-role/app/build`);
    const c = assumed.Credentials;
    session = { credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey }, sessionToken: c.SessionToken, arn: assumed.AssumedRoleUser.Arn };
    const identity = json<Arned>(await aws(['sts', 'get-caller-identity'], { credentials: session.credentials, sessionToken: session.sessionToken }));
    assert.equal(identity.Arn, `arn:aws-cn:sts::${ACCOUNT_ID}:assumed-role/app/build`);
    // ReadOnlyAccess (aws-cn) lets the session read the role.
    const got = json<{ Role: Arned }>(await aws(['iam', 'get-role', '--role-name', 'app'], { credentials: session.credentials, sessionToken: session.sessionToken }));
    assert.equal(got.Role.Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app`);
  });

  test('a session policy naming the role by its arn:aws: ARN does not match in aws-cn; by its arn:aws-cn: ARN it does', async () => {
    const sessionPolicy = (partition: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: `arn:${partition}:iam::${ACCOUNT_ID}:role/team/app` }] });
    const narrowed = async (partition: string) => {
      const assumed = json<Assumed>(
        await aws(['sts', 'assume-role', '--role-arn', `arn:aws-cn:iam::${ACCOUNT_ID}:role/team/app`, '--role-session-name', partition, '--policy', sessionPolicy(partition)], {
          credentials: user,
        }),
      );
      const c = assumed.Credentials;
      return aws(['iam', 'get-role', '--role-name', 'app'], { credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey }, sessionToken: c.SessionToken });
    };
    refused(await narrowed('aws'), 'AccessDenied', `arn:aws-cn:sts::${ACCOUNT_ID}:assumed-role/app/aws is not authorized to perform: iam:GetRole`);
    json(await narrowed('aws-cn'));
  });

  test('simulate-custom-policy: arn:aws: resources do not match arn:aws-cn: requests', async () => {
    const policy = (partition: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:${partition}:s3:::bucket/*` }] });
    const decision = async (partition: string) =>
      json<{ EvaluationResults: Array<{ EvalDecision: string }> }>(await aws(['iam', 'simulate-custom-policy', '--policy-input-list', policy(partition), '--action-names', 's3:GetObject', '--resource-arns', 'arn:aws-cn:s3:::bucket/key']))
        .EvaluationResults[0]?.EvalDecision;
    assert.equal(await decision('aws'), 'implicitDeny');
    assert.equal(await decision('aws-cn'), 'allowed');
  });

  test('assume-role of the role named in another partition is refused (roles delegate within one partition)', async () => {
    refused(
      await aws(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT_ID}:role/team/app`, '--role-session-name', 'elsewhere'], { credentials: user }),
      'AccessDenied',
      'is not authorized to perform: sts:AssumeRole',
    );
  });

  test('the same credentials signed for us-east-1 are InvalidClientTokenId (credentials of one partition are invalid in another)', async () => {
    refused(await aws(['sts', 'get-caller-identity'], { region: 'us-east-1' }), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    refused(await aws(['iam', 'get-user'], { credentials: user, region: 'us-east-1' }), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    refused(
      await aws(['sts', 'get-caller-identity'], { credentials: session.credentials, sessionToken: session.sessionToken, region: 'eu-west-1' }),
      'InvalidClientTokenId',
      'The security token included in the request is invalid',
    );
    // cn-northwest-1 is the same partition: the keys work there.
    assert.equal(json<Arned>(await aws(['sts', 'get-caller-identity'], { region: 'cn-northwest-1' })).Arn, `arn:aws-cn:iam::${ACCOUNT_ID}:root`);
  });
});

interface GovFlow {
  identity: string;
  role: string;
  policy: string;
  attached: string[];
  assumed: string;
  sessionIdentity: string;
  wrongPartition: { code: string; message: string; status: number };
}

describe('a GovCloud client (boto3, region us-gov-west-1)', () => {
  let server: E2eServer;

  before(async () => {
    server = await E2eServer.start();
  });

  after(async () => {
    await server?.stop();
  });

  test('every ARN is arn:aws-us-gov, and a us-east-1 signature is InvalidClientTokenId', async () => {
    const flow = (await server.boto3(
      String.raw`
def clients(region, key, secret, token=None):
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=region)
    return (session.client('iam', endpoint_url=os.environ['ROLECALL_URL'], config=_config),
            session.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config))

key, secret = os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY']
iam, sts = clients('us-gov-west-1', key, secret)
account = inp['account']
identity = sts.get_caller_identity()['Arn']
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws-us-gov:iam::%s:root' % account}, 'Action': 'sts:AssumeRole'}]}
role = iam.create_role(RoleName='gov-app', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']
policy = iam.get_policy(PolicyArn='arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess')['Policy']['Arn']
iam.attach_role_policy(RoleName='gov-app', PolicyArn=policy)
attached = [p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName='gov-app')['AttachedPolicies']]
iam.create_user(UserName='bob')
iam.put_user_policy(UserName='bob', PolicyName='assume', PolicyDocument=json.dumps(
    {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': role}]}))
bob = iam.create_access_key(UserName='bob')['AccessKey']
_, bob_sts = clients('us-gov-east-1', bob['AccessKeyId'], bob['SecretAccessKey'])
assumed = bob_sts.assume_role(RoleArn=role, RoleSessionName='ci')
c = assumed['Credentials']
_, session_sts = clients('us-gov-west-1', c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])
_, commercial_sts = clients('us-east-1', key, secret)
out = {'identity': identity, 'role': role, 'policy': policy, 'attached': attached, 'assumed': assumed['AssumedRoleUser']['Arn'],
       'sessionIdentity': session_sts.get_caller_identity()['Arn'], 'wrongPartition': client_error(commercial_sts.get_caller_identity)}
`,
      { account: ACCOUNT_ID },
    )) as GovFlow;
    assert.equal(flow.identity, `arn:aws-us-gov:iam::${ACCOUNT_ID}:root`);
    assert.equal(flow.role, `arn:aws-us-gov:iam::${ACCOUNT_ID}:role/gov-app`);
    assert.equal(flow.policy, 'arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess');
    assert.deepEqual(flow.attached, ['arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess']);
    assert.equal(flow.assumed, `arn:aws-us-gov:sts::${ACCOUNT_ID}:assumed-role/gov-app/ci`);
    assert.equal(flow.sessionIdentity, flow.assumed);
    assert.deepEqual(flow.wrongPartition, { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });
  });
});
