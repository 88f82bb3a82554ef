/**
 * GetFederationToken end to end (API_GetFederationToken.html): the real `rolecall serve`, the AWS CLI v1 and v2 and
 * boto3. A broker user federates "Bob" with a session policy; Bob's credentials are who
 * `get-caller-identity` says, the session policy narrows what they can do, and an IAM call is refused
 * whatever the policies allow ("You cannot call any IAM operations using the CLI or the AWS API").
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ACCOUNT_ID, cliError, cliJson, E2eServer, type Credentials } from '../e2e/harness.js';

let server: E2eServer;
let broker: Credentials;

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const FEDERATED_ARN = `arn:aws:sts::${ACCOUNT_ID}:federated-user/Bob`;

before(async () => {
  server = await E2eServer.start();
  const iam = server.iam();
  await iam.send(new CreateUserCommand({ UserName: 'broker' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'broker', PolicyName: 'federate', PolicyDocument: doc({ Effect: 'Allow', Action: ['sts:GetFederationToken', 'iam:*'], Resource: '*' }) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'broker' }));
  broker = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
});

after(async () => {
  await server?.stop();
});

for (const cli of ['v1', 'v2'] as const) {
  test(`AWS CLI ${cli}: get-federation-token, then the federated user is who get-caller-identity says and may call no IAM API`, async () => {
  const policyFile = await server.writeFile(`bob-${cli}.json`, doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }));
  const out = cliJson<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }; FederatedUser: { FederatedUserId: string; Arn: string }; PackedPolicySize: number }>(
    await (cli === 'v1' ? server.awsV1.bind(server) : server.awsV2.bind(server))(['sts', 'get-federation-token', '--name', 'Bob', '--policy', `file://${policyFile}`, '--duration-seconds', '900'], { credentials: broker }),
  );
  assert.deepEqual(out.FederatedUser, { FederatedUserId: `${ACCOUNT_ID}:Bob`, Arn: FEDERATED_ARN });
  assert.ok(out.PackedPolicySize > 0 && out.PackedPolicySize <= 100);
  assert.ok(Date.parse(out.Credentials.Expiration) - Date.now() <= 900_000);
  const session = { accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey };
  const env = `export AWS_SESSION_TOKEN='${out.Credentials.SessionToken}'\n`;
  const identity = cliJson(await server.bash(`${env}aws sts get-caller-identity --output json`, cli, { credentials: session }));
  assert.deepEqual(identity, { UserId: `${ACCOUNT_ID}:Bob`, Account: ACCOUNT_ID, Arn: FEDERATED_ARN });
  // The user's and the session's policies both allow iam:ListUsers: the credentials still can't call IAM.
  const refused = cliError(await server.bash(`${env}aws iam list-users --output json`, cli, { credentials: session }));
  assert.deepEqual(refused, { code: 'InvalidClientTokenId', operation: 'ListUsers', message: 'The security token included in the request is invalid' });
  const noSts = cliError(await server.bash(`${env}aws sts get-session-token --output json`, cli, { credentials: session }));
  assert.deepEqual(noSts, { code: 'AccessDenied', operation: 'GetSessionToken', message: 'Cannot call GetSessionToken with session credentials' });
});
}

test('boto3: get_federation_token with tags and managed session policies; session credentials may not federate again', async () => {
  const out = (await server.boto3(
    String.raw`
iam.put_user_policy(UserName='broker', PolicyName='tag', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:TagSession', 'Resource': '*'}]}))
policy = iam.create_policy(PolicyName='ReadOnlyForBob', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]}))['Policy']
broker_iam, broker_sts = session_for(inp['key'], inp['secret'])
answer = broker_sts.get_federation_token(Name='Bob', PolicyArns=[{'arn': policy['Arn']}], Tags=[{'Key': 'team', 'Value': 'payments'}], DurationSeconds=3600)
creds = answer['Credentials']
bob = boto3.session.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], region_name='us-east-1')
bob_sts = bob.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
bob_iam = bob.client('iam', endpoint_url=os.environ['ROLECALL_URL'], config=_config)
out = {
  'federatedUser': answer['FederatedUser'],
  'packed': answer['PackedPolicySize'],
  'lifetime': int((creds['Expiration'] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()),
  'identity': {k: v for k, v in bob_sts.get_caller_identity().items() if k != 'ResponseMetadata'},
  'iam': client_error(bob_iam.get_user, UserName='broker'),
  'again': client_error(bob_sts.get_federation_token, Name='Eve'),
}
`,
    { key: broker.accessKeyId, secret: broker.secretAccessKey },
  )) as Record<string, unknown>;
  assert.deepEqual(out.federatedUser, { FederatedUserId: `${ACCOUNT_ID}:Bob`, Arn: FEDERATED_ARN });
  assert.equal(typeof out.packed, 'number');
  assert.ok((out.lifetime as number) > 3500 && (out.lifetime as number) <= 3600);
  assert.deepEqual(out.identity, { UserId: `${ACCOUNT_ID}:Bob`, Account: ACCOUNT_ID, Arn: FEDERATED_ARN });
  assert.deepEqual(out.iam, { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid', status: 403 });
  assert.deepEqual(out.again, { code: 'AccessDenied', message: 'Cannot call GetFederationToken with session credentials', status: 403 });
});
