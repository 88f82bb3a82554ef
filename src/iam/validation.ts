/**
 * The checks IAM makes of an input beyond the service model's constraints (required members, lengths,
 * patterns, ranges and enums are checked for every operation by defineOperation, from the model): a
 * policy document must be a valid policy of its kind (MalformedPolicyDocument, LimitExceeded), and a
 * policy ARN must be one IAM can parse (InvalidInput).
 */
import { AwsError, invalidInput, limitExceeded, malformedPolicyDocument } from '../model/errors.js';
import { validatePolicy } from '../policy/index.js';
import type { PolicyKind } from '../policy/index.js';

/** Validates a policy document as `kind`, throwing AWS's MalformedPolicyDocument or LimitExceeded. */
export function checkPolicyDocument(document: string, kind: PolicyKind, options: { inline?: boolean } = {}): void {
  const result = validatePolicy(document, kind, { inline: options.inline ?? false });
  if (!result.valid) throw errorFromValidation(result.error);
}

function errorFromValidation(error: { code: string; message: string }): AwsError {
  if (error.code === 'MalformedPolicyDocument') return malformedPolicyDocument(error.message);
  if (error.code === 'LimitExceeded') return limitExceeded(error.message);
  return new AwsError(error.code, error.message, 400);
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/[\u0021-\u007E]*)?\/[\w+=,.@-]+$/;

/** IAM refuses a policy ARN it cannot parse with InvalidInput "ARN ... is not valid." */
export function checkPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}
