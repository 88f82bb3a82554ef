/** STS GetCallerIdentity: needs no permission and works even under an explicit deny (API_GetCallerIdentity.html). */
import { defineOperation } from '../iam/operation.js';

export const getCallerIdentity = defineOperation<Record<string, never>, { UserId: string; Account: string; Arn: string }>({
  service: 'sts',
  name: 'GetCallerIdentity',
  authorize: () => [],
  execute: async (context) => ({ UserId: context.caller.userId, Account: context.caller.accountId, Arn: context.caller.arn }),
});
