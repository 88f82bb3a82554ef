/**
 * ARNs: `arn:partition:service:region:account:resource`. The resource part is everything after the
 * fifth colon and may itself contain colons and slashes.
 */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** The partitions AWS accepts in policy ARNs. */
export const PARTITIONS: ReadonlySet<string> = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);

/** Splits an ARN into its six parts, or returns undefined when the text has fewer than six parts. */
export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  let start = 4;
  for (let i = 0; i < 4; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  return {
    partition: parts[0]!,
    service: parts[1]!,
    region: parts[2]!,
    account: parts[3]!,
    resource: text.slice(start),
  };
}

/** The account id of an ARN (empty for S3 buckets and other account-less ARNs), or undefined if not an ARN. */
export function accountOfArn(text: string): string | undefined {
  // Scans to the fourth and fifth colons without building the other parts: this runs once per request.
  if (!text.startsWith('arn:')) return undefined;
  let colon = 3;
  for (let i = 0; i < 3; i++) {
    colon = text.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
  }
  const end = text.indexOf(':', colon + 1);
  return end < 0 ? undefined : text.slice(colon + 1, end);
}
