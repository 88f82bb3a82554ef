/**
 * A blueprint's typed parameters: declared with a type (string, integer, boolean), optional default,
 * enum and pattern; given on the command line as `--set name=value`. Defaults may refer to other
 * parameters (`default: "{project}-{env}"`), resolved in dependency order; a cycle, an unknown name, a
 * value of the wrong type and a parameter left without a value are errors naming the parameter.
 */
import { BlueprintError } from './blueprint-error.js';

export type ParameterType = 'string' | 'integer' | 'boolean';
export type ParameterValue = string | number | boolean;

/** One declared parameter (spec.parameters[i]). */
export interface ParameterDeclaration {
  name: string;
  type: ParameterType;
  description?: string;
  default?: ParameterValue;
  enum?: ParameterValue[];
  pattern?: string;
  /** A built-in parameter (the partition) every blueprint has without declaring it; not listed as declared. */
  builtIn?: boolean;
  /** Turns the filled-in default into the value (the partition of the `{region}` default). */
  deriveDefault?: (filled: string) => ParameterValue;
}

/** Every parameter's final value, by name. */
export type ParameterValues = ReadonlyMap<string, ParameterValue>;

const REFERENCE = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}|[{}]/g;

/**
 * Fills `{name}` references of a text from resolved values (`{{` and `}}` are literal braces). A
 * reference to an undeclared parameter, or a lone brace, is an error naming `field`.
 */
export function interpolate(text: string, values: ParameterValues, field: string): string {
  return text.replace(REFERENCE, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    if (name === undefined) throw new BlueprintError(field, `a lone "${token}" in ${JSON.stringify(text)} (write {{ or }} for a literal brace)`);
    const value = values.get(name);
    if (value === undefined) throw new BlueprintError(field, `{${name}} names no declared parameter`);
    return String(value);
  });
}

/** The parameter names a text refers to. */
export function referencesOf(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1]).filter((name): name is string => name !== undefined);
}

/** Converts a `--set` text (or a default) to the parameter's type; undefined when it does not fit. */
function typed(declaration: ParameterDeclaration, value: ParameterValue): ParameterValue | undefined {
  switch (declaration.type) {
    case 'string':
      return String(value);
    case 'integer': {
      const number = typeof value === 'number' ? value : /^-?[0-9]+$/.test(String(value)) ? Number(value) : NaN;
      return Number.isSafeInteger(number) ? number : undefined;
    }
    case 'boolean':
      return value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;
  }
}

function checkValue(declaration: ParameterDeclaration, value: ParameterValue, origin: string): void {
  const field = `parameter ${declaration.name}`;
  if (declaration.enum !== undefined && !declaration.enum.some((allowed) => allowed === value)) {
    throw new BlueprintError(field, `${origin} ${JSON.stringify(value)} is not one of ${declaration.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (declaration.pattern !== undefined && typeof value === 'string' && !new RegExp(declaration.pattern, 'u').test(value)) {
    throw new BlueprintError(field, `${origin} ${JSON.stringify(value)} does not match the pattern ${declaration.pattern}`);
  }
}

/**
 * Resolves every parameter: the `--set` value when given, else the default (its references filled
 * first), else an error. `--set` of an undeclared name is an error too (a typo must not pass silently).
 */
export function resolveParameters(declarations: readonly ParameterDeclaration[], given: Readonly<Record<string, string>>): Map<string, ParameterValue> {
  const byName = new Map(declarations.map((declaration) => [declaration.name, declaration]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const declared = declarations.filter((declaration) => !declaration.builtIn).map((declaration) => declaration.name);
      throw new BlueprintError(`--set ${name}`, `the blueprint declares no parameter "${name}" (it declares ${declared.join(', ')})`);
    }
  }
  const values = new Map<string, ParameterValue>();
  const resolving = new Set<string>();
  const resolve = (declaration: ParameterDeclaration): ParameterValue => {
    const known = values.get(declaration.name);
    if (known !== undefined) return known;
    const field = `parameter ${declaration.name}`;
    let value: ParameterValue | undefined;
    let origin: string;
    if (Object.hasOwn(given, declaration.name)) {
      origin = 'the value';
      value = typed(declaration, given[declaration.name]!);
      if (value === undefined) throw new BlueprintError(field, `--set ${declaration.name}=${given[declaration.name]} is not a${declaration.type === 'integer' ? 'n' : ''} ${declaration.type}`);
    } else if (declaration.default !== undefined) {
      origin = 'the default';
      if (resolving.has(declaration.name)) throw new BlueprintError(field, `its default refers to itself through ${[...resolving].join(' -> ')}`);
      resolving.add(declaration.name);
      const text = typeof declaration.default === 'string' ? declaration.default : undefined;
      const filled =
        text === undefined
          ? declaration.default
          : interpolate(text, new Map(referencesOf(text).map((name) => [name, resolve(requireDeclared(byName, name, field))])), `${field} default`);
      resolving.delete(declaration.name);
      value = typed(declaration, declaration.deriveDefault ? declaration.deriveDefault(String(filled)) : filled);
      if (value === undefined) throw new BlueprintError(field, `the default ${JSON.stringify(filled)} is not a${declaration.type === 'integer' ? 'n' : ''} ${declaration.type}`);
    } else {
      throw new BlueprintError(field, `no value given and no default (set it with --set ${declaration.name}=VALUE)`);
    }
    checkValue(declaration, value, origin);
    values.set(declaration.name, value);
    return value;
  };
  for (const declaration of declarations) resolve(declaration);
  return values;
}

function requireDeclared(byName: Map<string, ParameterDeclaration>, name: string, field: string): ParameterDeclaration {
  const declaration = byName.get(name);
  if (!declaration) throw new BlueprintError(`${field} default`, `{${name}} names no declared parameter`);
  return declaration;
}
