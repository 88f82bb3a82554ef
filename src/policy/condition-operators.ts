/**
 * The condition operators of AWS's reference (reference_policies_elements_condition_operators.html) and
 * the grammar that decorates them: an optional set prefix (`ForAllValues:`/`ForAnyValue:`) and an
 * optional `IfExists` suffix (every operator but Null).
 */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';

export interface BaseOperator {
  name: string;
  family: OperatorFamily;
  /** Negated operators (StringNotEquals, NotIpAddress, ...) are true when the key is missing. */
  negated: boolean;
  /** Whether the values may carry `*` and `?` wildcards. */
  wildcards: boolean;
  /** Whether policy variables are substituted in the values. */
  variables: boolean;
}

// Frozen: every compiled condition shares them.
const base = (name: string, family: OperatorFamily, negated = false, wildcards = false, variables = false): BaseOperator =>
  Object.freeze({ name, family, negated, wildcards, variables });

/** Every base operator, keyed by its exact name. */
export const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map(
  [
    base('StringEquals', 'String', false, false, true),
    base('StringNotEquals', 'String', true, false, true),
    base('StringEqualsIgnoreCase', 'String', false, false, true),
    base('StringNotEqualsIgnoreCase', 'String', true, false, true),
    base('StringLike', 'String', false, true, true),
    base('StringNotLike', 'String', true, true, true),
    base('NumericEquals', 'Numeric'),
    base('NumericNotEquals', 'Numeric', true),
    base('NumericLessThan', 'Numeric'),
    base('NumericLessThanEquals', 'Numeric'),
    base('NumericGreaterThan', 'Numeric'),
    base('NumericGreaterThanEquals', 'Numeric'),
    base('DateEquals', 'Date'),
    base('DateNotEquals', 'Date', true),
    base('DateLessThan', 'Date'),
    base('DateLessThanEquals', 'Date'),
    base('DateGreaterThan', 'Date'),
    base('DateGreaterThanEquals', 'Date'),
    base('Bool', 'Bool', false, false, true),
    base('BinaryEquals', 'Binary'),
    base('IpAddress', 'Ip'),
    base('NotIpAddress', 'Ip', true),
    base('ArnEquals', 'Arn', false, true, true),
    base('ArnLike', 'Arn', false, true, true),
    base('ArnNotEquals', 'Arn', true, true, true),
    base('ArnNotLike', 'Arn', true, true, true),
    base('Null', 'Null'),
  ].map((op) => [op.name, op]),
);

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

/** A class rather than an object literal: compiled conditions keep it (young-objects.ts says why). */
export class ParsedOperator {
  constructor(
    /** The operator as written. */
    readonly text: string,
    readonly base: BaseOperator,
    readonly set: SetOperator | undefined,
    readonly ifExists: boolean,
  ) {}
}

/** Parses `[ForAllValues:|ForAnyValue:]Base[IfExists]`; undefined for anything AWS would reject. */
export function parseConditionOperator(text: string): ParsedOperator | undefined {
  let rest = text;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue') return undefined;
    set = prefix;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const op = BASE_OPERATORS.get(rest);
  if (!op) return undefined;
  if (ifExists && op.family === 'Null') return undefined;
  return new ParsedOperator(text, op, set, ifExists);
}
