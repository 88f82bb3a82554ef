/**
 * Organizations reports a request that breaks the model's constraints as InvalidInputException with a
 * Reason (API_InvalidInputException.html), not the generic "N validation errors detected" of other
 * services. This reads the model's constraint findings (model/input-validation.ts wording) and names
 * the first one the way Organizations does.
 */
import { invalidInput, type InvalidInputReason, type OrganizationsError } from './errors.js';

const FINDING = /at '([^']*)' failed to satisfy constraint: (.*)$/;

/** Members whose bad pattern or value Organizations names with a dedicated reason. */
const POLICY_ID_MEMBERS = new Set(['policyId']);
const TARGET_ID_MEMBERS = new Set(['targetId']);
const POLICY_TYPE_MEMBERS = new Set(['type', 'filter', 'policyType']);

/** The InvalidInputException for the first constraint violation; undefined when there is none. */
export function invalidInputFromViolations(violations: readonly string[]): OrganizationsError | undefined {
  const first = violations[0];
  if (first === undefined) return undefined;
  const [, path = '', constraint = ''] = FINDING.exec(first) ?? [];
  return invalidInput(reasonFor(path.split('.').pop() ?? path, constraint));
}

function reasonFor(member: string, constraint: string): InvalidInputReason {
  if (constraint.includes('must not be null')) return 'INPUT_REQUIRED';
  if (constraint.includes('enum value set')) return POLICY_TYPE_MEMBERS.has(member) ? 'INVALID_ENUM_POLICY_TYPE' : 'INVALID_ENUM';
  if (constraint.includes('regular expression pattern')) {
    if (POLICY_ID_MEMBERS.has(member)) return 'INVALID_SYNTAX_POLICY_ID';
    if (TARGET_ID_MEMBERS.has(member)) return 'INVALID_PATTERN_TARGET_ID';
    return 'INVALID_PATTERN';
  }
  if (constraint.includes('length less than or equal')) return 'MAX_LENGTH_EXCEEDED';
  if (constraint.includes('length greater than or equal')) return 'MIN_LENGTH_EXCEEDED';
  if (constraint.includes('value less than or equal')) return 'MAX_VALUE_EXCEEDED';
  if (constraint.includes('value greater than or equal')) return 'MIN_VALUE_EXCEEDED';
  return 'INVALID_PATTERN';
}
