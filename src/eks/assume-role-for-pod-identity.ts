/**
 * EKS Auth AssumeRoleForPodIdentity (API_auth_AssumeRoleForPodIdentity.html; pod-identity.md §2): what
 * the node agent calls, SigV4-signed for `eks-auth` with the node's credentials and authorized as
 * `eks-auth:AssumeRoleForPodIdentity` on the cluster ARN. The pod's projected service-account token is
 * verified against the cluster's issuer (signature with a key of the issuer — Rolecall's own, the
 * registered issuer's fetched JWKS or the inline one —, `iss`, `exp`/`nbf`, audience
 * `pods.eks.amazonaws.com`, a pod-bound `kubernetes.io` claim); the association of its service account is
 * found; the role is assumed as the service principal `pods.eks.amazonaws.com` through the role's trust
 * policy with the six transitive session tags (pod-id-abac.html) unless the association disables them;
 * with a target role, that session assumes the target (a role chain: 59-minute credentials, the target's
 * trust and the first role's permissions decided by the engine, `sts:ExternalId` = the association's
 * externalId when tags are disabled). Sessions are issued by sts/ as every other session is.
 */
import { randomUUID } from 'node:crypto';
import { accountOfArn } from '../policy/arn.js';
import { AwsError } from '../policy/errors.js';
import type { EksCluster, PodIdentityAssociationRecord } from '../model/eks-entities.js';
import type { Tag } from '../model/entities.js';
import { assumeRole, findRoleByArn, type AssumeRoleInput } from '../sts/assume-role.js';
import { issueRoleSession, type IssuedCredentials } from '../sts/issue-session.js';
import { fixedKeySource, type IssuerKeySource } from '../sts/oidc-discovery.js';
import { serviceMayAssumeRole } from '../sts/service-trust.js';
import { openSessionToken, sessionCaller } from '../sts/session-token.js';
import { audiencesOf, checkTokenTimes, readWebIdentityToken, verifyTokenSignature, type WebIdentityToken } from '../sts/web-identity-token.js';
import type { Caller, OperationContext } from '../iam/operation.js';
import { findAssociationFor } from './association-store.js';
import { clusterTarget, findCluster, registeredIssuerKeys } from './clusters.js';
import { eksAuthAccessDenied, expiredToken, invalidToken, resourceNotFound } from './errors.js';
import { checkClusterName, defineEksOperation } from './operation.js';
import { POD_IDENTITY_SERVICE } from './pod-identity-associations.js';
import { publishedJwk } from './signing-keys.js';

/** The audience a pod identity token must carry. */
export const POD_IDENTITY_AUDIENCE = POD_IDENTITY_SERVICE;
/** Credentials of an association without a target role last six hours (pod-id-assign-target-role.html). */
export const POD_IDENTITY_SESSION_SECONDS = 6 * 3600;
/** With a target role, the chained credentials last 59 minutes (role chaining allows at most one hour). */
export const TARGET_ROLE_SESSION_SECONDS = 59 * 60;
/** Tolerance for clocks that differ, as for web identity tokens. */
const CLOCK_SKEW_SECONDS = 60;
const SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

export interface AssumeRoleForPodIdentityInput {
  clusterName: string;
  token: string;
}

export interface AssumeRoleForPodIdentityOutput {
  subject: { namespace: string; serviceAccount: string };
  audience: string;
  podIdentityAssociation: { associationArn: string; associationId: string };
  assumedRoleUser: { arn: string; assumeRoleId: string };
  credentials: { sessionToken: string; secretAccessKey: string; accessKeyId: string; expiration: string };
}

/** What a verified token says about the pod. */
interface PodIdentityClaims {
  namespace: string;
  serviceAccount: string;
  podName: string;
  podUid: string;
}

/** The keys a cluster's tokens are verified with. */
function keySourceOf(cluster: EksCluster): IssuerKeySource {
  if (cluster.issuerKind === 'rolecall') return fixedKeySource({ keys: (cluster.signingKeys ?? []).map(publishedJwk) });
  if (cluster.issuerKind === 'jwks') return fixedKeySource(cluster.jwks);
  return registeredIssuerKeys;
}

/** The sts/ token errors, as EKS Auth names them (InvalidTokenException, ExpiredTokenException). */
function asEksAuthTokenError(error: unknown, claims: Record<string, unknown> | undefined, now: Date): unknown {
  if (!(error instanceof AwsError)) return error;
  if (error.code === 'ExpiredTokenException') {
    const exp = typeof claims?.exp === 'number' ? new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : 'unknown';
    return expiredToken(`The token included in the request is expired: current date/time ${now.toISOString()} must be before the expiration date/time ${exp}.`);
  }
  return invalidToken(error.message);
}

/** Verifies a pod's token against the cluster's issuer and returns who it names; throws EKS Auth's errors. */
export async function verifyPodIdentityToken(cluster: EksCluster, compact: string, now: Date): Promise<PodIdentityClaims> {
  let token: WebIdentityToken | undefined;
  try {
    token = readWebIdentityToken(compact);
    if (cluster.issuer !== '' && token.claims.iss !== cluster.issuer) throw invalidToken('The token was not issued by the cluster\'s service account issuer.');
    await verifyTokenSignature(token, typeof token.claims.iss === 'string' ? token.claims.iss : cluster.issuer, keySourceOf(cluster), now);
    checkTokenTimes(token.claims, now, CLOCK_SKEW_SECONDS);
  } catch (error) {
    throw asEksAuthTokenError(error, token?.claims, now);
  }
  const claims = token.claims;
  if (!audiencesOf(claims).includes(POD_IDENTITY_AUDIENCE)) throw invalidToken(`The token's audience must include ${POD_IDENTITY_AUDIENCE}.`);
  const subject = typeof claims.sub === 'string' ? SUBJECT.exec(claims.sub) : null;
  const kubernetes = claims['kubernetes.io'] as { namespace?: unknown; serviceaccount?: { name?: unknown }; pod?: { name?: unknown; uid?: unknown } } | undefined;
  if (!subject || kubernetes?.namespace !== subject[1] || kubernetes?.serviceaccount?.name !== subject[2]) {
    throw invalidToken('The token is not a Kubernetes service account token: its sub and kubernetes.io claims must name the same service account.');
  }
  const pod = kubernetes?.pod;
  if (typeof pod?.name !== 'string' || typeof pod.uid !== 'string') throw invalidToken('The service account token is not bound to a pod: its kubernetes.io claim names no pod.');
  return { namespace: subject[1]!, serviceAccount: subject[2]!, podName: pod.name, podUid: pod.uid };
}

/** The six session tags EKS Pod Identity sets, all transitive (pod-id-abac.html). */
export function podIdentitySessionTags(cluster: EksCluster, pod: PodIdentityClaims): Tag[] {
  return [
    { Key: 'eks-cluster-arn', Value: cluster.arn },
    { Key: 'eks-cluster-name', Value: cluster.name },
    { Key: 'kubernetes-namespace', Value: pod.namespace },
    { Key: 'kubernetes-service-account', Value: pod.serviceAccount },
    { Key: 'kubernetes-pod-name', Value: pod.podName },
    { Key: 'kubernetes-pod-uid', Value: pod.podUid },
  ];
}

/**
 * `eks-<cluster>-<pod>-<random UUID>` (AssumedRoleUser docs), shortened to STS's 64-character limit by
 * cutting the cluster and pod part, and keeping only the characters a session name may hold.
 */
export function podIdentitySessionName(clusterName: string, podName: string): string {
  const uuid = randomUUID();
  const head = `eks-${clusterName}-${podName}`.replace(/[^\w+=,.@-]/g, '-');
  return `${head.slice(0, 64 - uuid.length - 1)}-${uuid}`;
}

/**
 * Runs one sts:AssumeRole EKS Pod Identity makes and records it, whichever way it ends, as CloudTrail does:
 * an event of its own beside AssumeRoleForPodIdentity's, made by pods.eks.amazonaws.com (as itself for the
 * association role, with that role's session for a target role), naming the role among its resources.
 */
async function auditedAssumeRole<T>(context: OperationContext, request: { RoleArn: string } & Record<string, unknown>, caller: Caller | undefined, assume: () => Promise<T>): Promise<T> {
  const call = {
    service: 'sts',
    operation: 'AssumeRole',
    invokedBy: POD_IDENTITY_SERVICE,
    request,
    resources: [{ accountId: accountOfArn(request.RoleArn) ?? '', type: 'AWS::IAM::Role', ARN: request.RoleArn }],
    ...(caller ? { caller } : {}),
  };
  try {
    const response = await assume();
    context.recordServiceCall?.({ ...call, response });
    return response;
  } catch (error) {
    if (error instanceof AwsError) context.recordServiceCall?.({ ...call, errorCode: error.code, errorMessage: error.message });
    throw error;
  }
}

const notAuthorized = (role: string) => eksAuthAccessDenied(`EKS Pod Identity is not authorized to perform sts:AssumeRole on resource: ${role}`);

/** The association role's session, assumed by pods.eks.amazonaws.com through the role's trust policy. */
async function assumeAssociationRole(
  context: OperationContext,
  cluster: EksCluster,
  association: PodIdentityAssociationRecord,
  pod: PodIdentityClaims,
  sessionName: string,
): Promise<{ credentials: IssuedCredentials; assumedRoleUser: { AssumedRoleId: string; Arn: string } }> {
  const tags = association.disableSessionTags ? [] : podIdentitySessionTags(cluster, pod);
  const transitiveTagKeys = tags.map((tag) => tag.Key);
  // Without a target role the association's policy narrows this session; with one, the target's.
  const policy = association.targetRoleArn === undefined ? association.policy : undefined;
  const request = {
    RoleArn: association.roleArn,
    RoleSessionName: sessionName,
    DurationSeconds: POD_IDENTITY_SESSION_SECONDS,
    ...(tags.length > 0 ? { Tags: tags, TransitiveTagKeys: transitiveTagKeys } : {}),
    ...(policy !== undefined ? { Policy: policy } : {}),
  };
  const session = await auditedAssumeRole(context, request, undefined, async () => {
    const role = await findRoleByArn(context, association.roleArn);
    if (!role) throw notAuthorized(association.roleArn);
    const actions = tags.length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
    if (!serviceMayAssumeRole(context, role, { servicePrincipal: POD_IDENTITY_SERVICE, actions, sessionName, tags, transitiveTagKeys })) throw notAuthorized(role.Arn);
    return issueRoleSession(context, {
      role,
      sessionName,
      durationSeconds: POD_IDENTITY_SESSION_SECONDS,
      ...(tags.length > 0 ? { tags, transitiveTagKeys } : {}),
      ...(policy !== undefined ? { policy } : {}),
      issuedByService: POD_IDENTITY_SERVICE,
    });
  });
  return { credentials: session.Credentials, assumedRoleUser: session.AssumedRoleUser };
}

/** The target role's session, assumed with the association role's credentials exactly as sts:AssumeRole is. */
async function assumeTargetRole(
  context: OperationContext,
  association: PodIdentityAssociationRecord,
  first: IssuedCredentials,
  sessionName: string,
): Promise<{ credentials: IssuedCredentials; assumedRoleUser: { AssumedRoleId: string; Arn: string } }> {
  if (!context.authorizeAs) throw new Error('a target role needs the server to decide the association role\'s permissions');
  const caller = sessionCaller(openSessionToken(context.secrets, first.AccessKeyId, first.SessionToken, context.now));
  const chain: OperationContext = { ...context, caller, accountId: caller.accountId };
  const input: AssumeRoleInput = {
    RoleArn: association.targetRoleArn!,
    RoleSessionName: sessionName,
    DurationSeconds: TARGET_ROLE_SESSION_SECONDS,
    ...(association.disableSessionTags && association.externalId !== undefined ? { ExternalId: association.externalId } : {}),
    ...(association.policy !== undefined ? { Policy: association.policy } : {}),
  };
  try {
    const output = await auditedAssumeRole(context, { ...input }, caller, async () => {
      await context.authorizeAs!(caller, await assumeRole.authorize(chain, input));
      return assumeRole.execute(chain, input);
    });
    return { credentials: output.Credentials, assumedRoleUser: output.AssumedRoleUser };
  } catch (error) {
    if (error instanceof AwsError && error.code === 'AccessDenied') throw eksAuthAccessDenied(error.message);
    throw error;
  }
}

export const assumeRoleForPodIdentity = defineEksOperation<AssumeRoleForPodIdentityInput, AssumeRoleForPodIdentityOutput>({
  service: 'eks-auth',
  name: 'AssumeRoleForPodIdentity',
  async authorize(context, input) {
    checkClusterName(input.clusterName, 'clusterName');
    const target = await clusterTarget(context, 'eks-auth:AssumeRoleForPodIdentity', input.clusterName);
    return [target];
  },
  async execute(context, input) {
    const cluster = await context.store.read((reader) => findCluster(reader, context, input.clusterName));
    if (!cluster) throw resourceNotFound(`No cluster found for name: ${input.clusterName}.`);
    const pod = await verifyPodIdentityToken(cluster, input.token, context.now);
    const association = await context.store.read((reader) => findAssociationFor(reader, cluster, pod.namespace, pod.serviceAccount));
    if (!association) throw resourceNotFound(`No Pod Identity Association found for service account ${pod.serviceAccount} in namespace ${pod.namespace} of cluster ${cluster.name}.`);
    const sessionName = podIdentitySessionName(cluster.name, pod.podName);
    let session = await assumeAssociationRole(context, cluster, association, pod, sessionName);
    if (association.targetRoleArn !== undefined) session = { ...session, ...(await assumeTargetRole(context, association, session.credentials, sessionName)) };
    const { credentials, assumedRoleUser } = session;
    return {
      subject: { namespace: pod.namespace, serviceAccount: pod.serviceAccount },
      audience: POD_IDENTITY_AUDIENCE,
      podIdentityAssociation: { associationArn: association.associationArn, associationId: association.associationId },
      assumedRoleUser: { arn: assumedRoleUser.Arn, assumeRoleId: assumedRoleUser.AssumedRoleId },
      credentials: {
        sessionToken: credentials.SessionToken,
        secretAccessKey: credentials.SecretAccessKey,
        accessKeyId: credentials.AccessKeyId,
        expiration: credentials.Expiration,
      },
    };
  },
});
