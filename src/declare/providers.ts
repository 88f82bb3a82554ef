/**
 * Connecting to the endpoint an AWSProvider names with the credentials it names, in the order
 * infra-operator's fields imply: base credentials (a Secret's static keys, or the ambient ones: the
 * environment, a profile, IRSA), then `roleARN` assumed through STS, then `assumeRoleARN` (with
 * `externalID`) for another account. Assumed credentials are cached until shortly before they expire.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AWSProvider, AWSProviderStatus } from './resources.js';
import { objectKey } from './resources.js';
import type { SecretLookup } from './secrets.js';
import { failureOf } from './recording-client.js';

export interface ConnectOptions {
  /** Endpoint for providers that name none (`--endpoint-url`, AWS_ENDPOINT_URL); AWS itself when unset. */
  defaultEndpoint?: string;
  /**
   * EKS endpoint for providers that name none (`--endpoint-url`, AWS_ENDPOINT_URL_EKS, AWS_ENDPOINT_URL);
   * defaultEndpoint when unset. A provider's own `endpoint` serves every service (as Rolecall does).
   */
  defaultEksEndpoint?: string;
  /** Credentials when the provider names no Secret; the SDK's default chain when unset. */
  ambientCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The environment (for IRSA's AWS_ROLE_ARN); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Session name of assumed roles. */
  sessionName?: string;
  maxAttempts?: number;
}

/** The clients of one AWSProvider. */
export interface ProviderConnection {
  providerKey: string;
  endpoint?: string;
  region: string;
  iam: IAMClient;
  sts: STSClient;
  /** Pod Identity associations (EKS is regional: the provider's region is the cluster's). */
  eks: EKSClient;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/** The IAM and STS clients an AWSProvider stands for. Nothing is called until the first request. */
export function connectProvider(provider: Pick<AWSProvider, 'spec' | 'metadata'>, secrets: SecretLookup, options: ConnectOptions = {}): ProviderConnection {
  const { spec } = provider;
  const endpoint = spec.endpoint ?? options.defaultEndpoint;
  const base = { region: spec.region, ...(endpoint ? { endpoint } : {}), maxAttempts: options.maxAttempts ?? 3 };
  const env = options.env ?? process.env;
  const sessionName = options.sessionName ?? 'rolecall';
  let credentials = staticCredentials(provider, secrets) ?? options.ambientCredentials;
  // Under IRSA the ambient identity already is roleARN (AWS_ROLE_ARN); assuming it again would need it to trust itself.
  if (spec.roleARN && env.AWS_ROLE_ARN !== spec.roleARN) {
    credentials = assumedRoleCredentials(new STSClient({ ...base, ...(credentials ? { credentials } : {}) }), { RoleArn: spec.roleARN, RoleSessionName: sessionName });
  }
  if (spec.assumeRoleARN) {
    credentials = assumedRoleCredentials(new STSClient({ ...base, ...(credentials ? { credentials } : {}) }), {
      RoleArn: spec.assumeRoleARN,
      RoleSessionName: sessionName,
      ...(spec.externalID ? { ExternalId: spec.externalID } : {}),
    });
  }
  const config = { ...base, ...(credentials ? { credentials } : {}) };
  const eksEndpoint = spec.endpoint ?? options.defaultEksEndpoint ?? options.defaultEndpoint;
  const { endpoint: _iamEndpoint, ...regional } = config;
  return {
    providerKey: objectKey(provider.metadata),
    ...(endpoint ? { endpoint } : {}),
    region: spec.region,
    iam: new IAMClient(config),
    sts: new STSClient(config),
    eks: new EKSClient({ ...regional, ...(eksEndpoint ? { endpoint: eksEndpoint } : {}) }),
  };
}

function staticCredentials(provider: Pick<AWSProvider, 'spec' | 'metadata'>, secrets: SecretLookup): AwsCredentialIdentity | undefined {
  const { spec, metadata } = provider;
  const value = (ref: { name: string; namespace?: string }, key: string) => secrets(ref.namespace ?? metadata.namespace, ref.name)?.values.get(key)?.reveal();
  if (spec.credentialsSecret) {
    const accessKeyId = value(spec.credentialsSecret, 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = value(spec.credentialsSecret, 'AWS_SECRET_ACCESS_KEY');
    const sessionToken = value(spec.credentialsSecret, 'AWS_SESSION_TOKEN');
    if (accessKeyId === undefined || secretAccessKey === undefined) throw new Error(`AWSProvider ${objectKey(metadata)}: Secret ${spec.credentialsSecret.name} lacks AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY`);
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  if (spec.accessKeyIDRef && spec.secretAccessKeyRef) {
    const accessKeyId = value(spec.accessKeyIDRef, spec.accessKeyIDRef.key);
    const secretAccessKey = value(spec.secretAccessKeyRef, spec.secretAccessKeyRef.key);
    const sessionToken = spec.sessionTokenRef ? value(spec.sessionTokenRef, spec.sessionTokenRef.key) : undefined;
    if (accessKeyId === undefined || secretAccessKey === undefined) throw new Error(`AWSProvider ${objectKey(metadata)}: a referenced Secret key is missing`);
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  }
  return undefined;
}

/** Credentials of an assumed role, fetched on first use and again shortly before they expire. */
function assumedRoleCredentials(sts: STSClient, params: { RoleArn: string; RoleSessionName: string; ExternalId?: string }): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let current: AwsCredentialIdentity | undefined;
  return async () => {
    if (current?.expiration && current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return current;
    pending ??= (async () => {
      try {
        const { Credentials } = await sts.send(new AssumeRoleCommand(params));
        if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error(`AssumeRole ${params.RoleArn} returned no credentials`);
        current = {
          accessKeyId: Credentials.AccessKeyId,
          secretAccessKey: Credentials.SecretAccessKey,
          ...(Credentials.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
          ...(Credentials.Expiration ? { expiration: Credentials.Expiration } : {}),
        };
        return current;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
}

/** The AWSProvider's status: who it authenticates as (GetCallerIdentity), or why it cannot. */
export async function providerStatus(connection: ProviderConnection, generation: number | undefined, now = new Date()): Promise<AWSProviderStatus> {
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const generationField = generation !== undefined ? { observedGeneration: generation } : {};
  try {
    const identity = await connection.sts.send(new GetCallerIdentityCommand({}));
    return {
      ready: true,
      ...(identity.Account ? { accountID: identity.Account } : {}),
      ...(identity.Arn ? { callerIdentity: identity.Arn } : {}),
      lastAuthenticationTime: time,
      ...generationField,
      conditions: [{ type: 'Ready', status: 'True', reason: 'AuthenticationSucceeded', message: `authenticated as ${identity.Arn ?? 'unknown'}`, lastTransitionTime: time, ...generationField }],
    };
  } catch (error) {
    const failure = failureOf(error);
    return {
      ready: false,
      ...generationField,
      conditions: [{ type: 'Ready', status: 'False', reason: 'AuthenticationFailed', message: `${failure.code}: ${failure.message}`, lastTransitionTime: time, ...generationField }],
    };
  }
}
