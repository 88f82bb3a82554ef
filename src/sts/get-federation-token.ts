/**
 * STS GetFederationToken (API_GetFederationToken.html, id_credentials_temp_control-access_getfederationtoken.html):
 * temporary credentials for a federated user `arn:aws:sts::ACCOUNT:federated-user/NAME`, called with the
 * long-term credentials of an IAM user (or, not recommended, of the root user) and needing
 * sts:GetFederationToken on that ARN (sts:TagSession too when it passes session tags).
 *
 * The session's permissions are the federating user's policies — read at each request, as for any
 * principal — intersected with the session policies passed here; with none passed the session has no
 * permissions, except what a resource-based policy naming the federated user grants (the policy engine's
 * `federated-user` principal, policy/evaluate.ts). Durations run 900..129,600 s (default 43,200); the
 * root user's sessions last one hour at most, a longer request getting one hour. The credentials call no
 * IAM API and no STS API but GetCallerIdentity (session-limits.ts).
 */
import { defineOperation, requestPartition, type AuthorizationTarget } from '../iam/operation.js';
import { requestTagContext } from '../iam/tags.js';
import { federatedUserArn } from '../model/arns.js';
import type { Tag } from '../model/entities.js';
import { accessDenied } from '../model/errors.js';
import { isoSeconds, type IssuedCredentials } from './issue-session.js';
import { checkInlineSessionPolicy, checkPackedSize, checkSessionPolicyArns, checkSessionTags, packedSize, sessionPolicyArns } from './session-parameters.js';
import { mintSessionCredentials, type UnmintedClaims } from './session-token.js';
import { DEFAULT_USER_SESSION_SECONDS, ROOT_SESSION_MAX_SECONDS } from './get-session-token.js';

export interface GetFederationTokenInput {
  Name: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  DurationSeconds?: number;
  Tags?: Tag[];
}

export interface GetFederationTokenOutput {
  Credentials: IssuedCredentials;
  FederatedUser: { FederatedUserId: string; Arn: string };
  PackedPolicySize?: number;
}

const withSessionCredentials = () => accessDenied('Cannot call GetFederationToken with session credentials');

export const getFederationToken = defineOperation<GetFederationTokenInput, GetFederationTokenOutput>({
  service: 'sts',
  name: 'GetFederationToken',
  authorize(context, input) {
    if (context.caller.session || (context.caller.kind !== 'user' && context.caller.kind !== 'root')) throw withSessionCredentials();
    const target = (action: string): AuthorizationTarget => ({
      action,
      resource: federatedUserArn(requestPartition(context), context.accountId, input.Name),
      context: requestTagContext(input.Tags),
    });
    return (input.Tags?.length ?? 0) > 0 ? [target('sts:GetFederationToken'), target('sts:TagSession')] : [target('sts:GetFederationToken')];
  },
  async execute(context, input) {
    const { caller } = context;
    if (caller.session || (caller.kind !== 'user' && caller.kind !== 'root')) throw withSessionCredentials();
    const policyArns = sessionPolicyArns(input.PolicyArns);
    if (input.Policy !== undefined) checkInlineSessionPolicy(input.Policy);
    // "The policies must exist in the same account as the IAM user that is requesting federated access."
    if (policyArns.length > 0) await context.store.read((reader) => checkSessionPolicyArns(reader, caller.accountId, policyArns));
    const tags = (input.Tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value }));
    checkSessionTags(tags);
    const size = packedSize(input.Policy, policyArns, tags);
    checkPackedSize(size);

    const requested = input.DurationSeconds ?? DEFAULT_USER_SESSION_SECONDS;
    const duration = caller.kind === 'root' ? Math.min(requested, ROOT_SESSION_MAX_SECONDS) : requested;
    const issuedAt = new Date(Math.floor(context.now.getTime() / 1000) * 1000);
    const arn = federatedUserArn(requestPartition(context), caller.accountId, input.Name);
    const federatedUserId = `${caller.accountId}:${input.Name}`;
    const claims: UnmintedClaims = {
      principal: 'federated-user',
      issuedBy: 'GetFederationToken',
      account: caller.accountId,
      arn,
      userId: federatedUserId,
      issuedAt: isoSeconds(issuedAt),
      expiresAt: isoSeconds(new Date(issuedAt.getTime() + duration * 1000)),
      federatedBy: { userId: caller.userId },
    };
    if (caller.kind === 'user' && caller.userName !== undefined) claims.userName = caller.userName;
    if (input.Policy !== undefined) claims.policy = input.Policy;
    if (policyArns.length > 0) claims.policyArns = policyArns;
    if (tags.length > 0) claims.tags = tags;

    const output: GetFederationTokenOutput = {
      Credentials: mintSessionCredentials(context.secrets, claims),
      FederatedUser: { FederatedUserId: federatedUserId, Arn: arn },
    };
    // As for AssumeRole: the packed size is reported when the request passed session policies or tags.
    if (input.Policy !== undefined || policyArns.length > 0 || tags.length > 0) output.PackedPolicySize = size.percent;
    return output;
  },
});
