/**
 * What the STS bench sets up, identically, on Rolecall and on moto through the IAM Query API: an IAM user
 * allowed to assume a role whose trust policy trusts the account and requires an ExternalId (the
 * third-party pattern of id_roles_create_for_user_externalid.html), and the IRSA pattern: the bench's OIDC
 * issuer registered as a provider, and a role trusting it for every service account of one namespace
 * (`:sub` StringLike, `:aud` StringEquals).
 */
import { xmlText, type Credentials, type QueryClient, type QueryParameters } from '../server/query-client.js';

export const ACCOUNT_ID = '123456789012';
export const STS_VERSION = '2011-06-15';
export const CALLER_USER = 'bench-sts-caller';
export const ASSUMED_ROLE = 'bench-assumed-role';
export const WEB_IDENTITY_ROLE = 'bench-web-identity-role';
export const EXTERNAL_ID = 'bench-external-id-5f1c9a';
export const AUDIENCE = 'sts.amazonaws.com';
/** Every token's `sub` starts with this; the web-identity role trusts `${SUBJECT_PREFIX}*`. */
export const SUBJECT_PREFIX = 'system:serviceaccount:bench:';
/** IAM still takes a thumbprint list; the value is never checked against the local issuer. */
const THUMBPRINT = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

export interface StsFixture {
  /** The IAM user's access key: the AssumeRole workload signs with it. */
  callerCredentials: Credentials;
  assumedRoleArn: string;
  webIdentityRoleArn: string;
}

/** The issuer as IAM sees it: the https:// URL to register, and the host/path prefix of its condition keys. */
export interface IssuerRegistration {
  providerUrl: string;
  hostPath: string;
}

/** Sends one IAM action and returns the answer's XML; anything but HTTP 200 fails the set-up. */
async function mustCall(iam: QueryClient, action: string, parameters: QueryParameters): Promise<string> {
  const response = await iam.call(action, parameters);
  if (response.status !== 200) throw new Error(`setting up the STS bench: ${action} got HTTP ${response.status} ${response.body.slice(0, 500)}`);
  return response.body;
}

function required(xml: string, element: string, action: string): string {
  const value = xmlText(xml, element);
  if (!value) throw new Error(`setting up the STS bench: ${action} answered without <${element}>`);
  return value;
}

/** Creates the user, its key and policy, the OIDC provider and both roles on one server (signed as root). */
export async function createStsFixture(iam: QueryClient, issuer: IssuerRegistration): Promise<StsFixture> {
  const assumedRoleArn = `arn:aws:iam::${ACCOUNT_ID}:role/${ASSUMED_ROLE}`;
  await mustCall(iam, 'CreateUser', { UserName: CALLER_USER });
  const key = await mustCall(iam, 'CreateAccessKey', { UserName: CALLER_USER });
  const callerCredentials = { accessKeyId: required(key, 'AccessKeyId', 'CreateAccessKey'), secretAccessKey: required(key, 'SecretAccessKey', 'CreateAccessKey') };
  // The trust policy names the account, not the user, so the user's own policy must allow the call too.
  await mustCall(iam, 'PutUserPolicy', {
    UserName: CALLER_USER,
    PolicyName: 'assume-bench-role',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: assumedRoleArn }] }),
  });
  await mustCall(iam, 'CreateRole', {
    RoleName: ASSUMED_ROLE,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
    }),
  });

  const provider = await mustCall(iam, 'CreateOpenIDConnectProvider', { Url: issuer.providerUrl, 'ClientIDList.member.1': AUDIENCE, 'ThumbprintList.member.1': THUMBPRINT });
  const providerArn = required(provider, 'OpenIDConnectProviderArn', 'CreateOpenIDConnectProvider');
  const role = await mustCall(iam, 'CreateRole', {
    RoleName: WEB_IDENTITY_ROLE,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${issuer.hostPath}:sub`]: `${SUBJECT_PREFIX}*` }, StringEquals: { [`${issuer.hostPath}:aud`]: AUDIENCE } },
        },
      ],
    }),
  });
  return { callerCredentials, assumedRoleArn, webIdentityRoleArn: required(role, 'Arn', 'CreateRole') };
}
