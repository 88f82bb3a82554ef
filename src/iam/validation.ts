/**
 * The checks IAM makes of an input beyond the service model's constraints (required members, lengths,
 * patterns, ranges and enums are checked for every operation by defineOperation, from the model): a
 * policy document must be a valid policy of its kind (MalformedPolicyDocument, LimitExceeded), and a
 * policy ARN must be one IAM can parse (InvalidInput).
 */
import { AwsError, invalidInput, limitExceeded, malformedPolicyDocument, validationError } from '../model/errors.js';
import { PARTITION_PATTERN } from '../model/arns.js';
import { partitionOfArn } from '../model/partitions.js';
import { validatePolicy } from '../policy/index.js';
import type { PolicyKind } from '../policy/index.js';

/**
 * Validates a policy document as `kind` for an account of `partition`, throwing AWS's
 * MalformedPolicyDocument or LimitExceeded.
 */
export function checkPolicyDocument(document: string, kind: PolicyKind, partition: string, options: { inline?: boolean } = {}): void {
  const result = validatePolicy(document, kind, { inline: options.inline ?? false });
  if (!result.valid) throw errorFromValidation(result.error);
  checkResourcePartitions(JSON.parse(document) as unknown, partition);
}

/**
 * IAM refuses a policy whose resources name another partition than its account's:
 * `Partition "aws" is not valid for resource "arn:aws:ec2:*:123456789012:subnet/*".` (as AWS answers in
 * aws-cn and aws-us-gov). A partition written with a wildcard (`arn:*:`, `arn:aws*:`) names no one
 * partition and stays valid; the document is already known to be a valid policy.
 */
function checkResourcePartitions(document: unknown, partition: string): void {
  const statements = (document as { Statement?: unknown }).Statement;
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    if (typeof statement !== 'object' || statement === null) continue;
    for (const member of ['Resource', 'NotResource'] as const) {
      const value = (statement as Record<string, unknown>)[member];
      for (const resource of Array.isArray(value) ? value : [value]) {
        const named = typeof resource === 'string' ? partitionOfArn(resource) : undefined;
        if (named !== undefined && named !== partition && !/[*?$]/.test(named)) throw malformedPolicyDocument(`Partition "${named}" is not valid for resource "${resource}".`);
      }
    }
  }
}

function errorFromValidation(error: { code: string; message: string }): AwsError {
  if (error.code === 'MalformedPolicyDocument') return malformedPolicyDocument(error.message);
  if (error.code === 'LimitExceeded') return limitExceeded(error.message);
  return new AwsError(error.code, error.message, 400);
}

const POLICY_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:iam::(\\d{12}|aws):policy(\\/[\\u0021-\\u007E]*)?\\/[\\w+=,.@-]+$`);

/**
 * IAM refuses a policy ARN it cannot parse with InvalidInput "ARN ... is not valid.", and one of another
 * partition than the caller's account with ValidationError "Invalid ARN partition" (IAM's ARN validation:
 * "The partition name must match the partition of the AWS account from where you are calling the API").
 */
export function checkPolicyArn(arn: string, partition: string): void {
  const match = POLICY_ARN.exec(arn);
  if (!match) throw invalidInput(`ARN ${arn} is not valid.`);
  if (match[1] !== partition) throw validationError('Invalid ARN partition');
}
