/**
 * `--set` values across the blueprints of one command, as Helm users read dotted keys: `NAME=VALUE`
 * sets parameter NAME of every blueprint that declares it; `BLUEPRINT.NAME=VALUE` (or
 * `NAMESPACE/BLUEPRINT.NAME=VALUE`) sets it for that blueprint only, and wins over the plain form.
 * Parameter names cannot contain a dot, so the key splits at its last one (blueprint names may have
 * dots). A value no blueprint can take — a plain name none declares, a scope naming no blueprint of the
 * files — is an error, so a typo never passes silently.
 */
import { BlueprintError } from './blueprint-error.js';
import { takesParameter } from './partition-parameter.js';

interface BlueprintIdentity {
  metadata: { name: string; namespace?: string };
  spec: { parameters?: ReadonlyArray<{ name: string }> };
}

interface SetValue {
  /** `--set` key as given. */
  key: string;
  scope?: string;
  name: string;
  value: string;
}

function parse(given: Readonly<Record<string, string>>): SetValue[] {
  return Object.entries(given).map(([key, value]) => {
    const dot = key.lastIndexOf('.');
    return dot < 0 ? { key, name: key, value } : { key, scope: key.slice(0, dot), name: key.slice(dot + 1), value };
  });
}

function inScope(blueprint: BlueprintIdentity, scope: string): boolean {
  const { name, namespace = 'default' } = blueprint.metadata;
  return scope === name || scope === `${namespace}/${name}`;
}

/** Whether the blueprint takes NAME: a parameter it declares, or the built-in partition. */
function declares(blueprint: BlueprintIdentity, name: string): boolean {
  return takesParameter(blueprint.spec.parameters, name);
}

/** The values one blueprint renders with: the plain ones it declares, then its scoped ones (all of them, so an undeclared one is an error naming it). */
export function setValuesFor(blueprint: BlueprintIdentity, given: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  const all = parse(given);
  for (const entry of all) if (entry.scope === undefined && declares(blueprint, entry.name)) values[entry.name] = entry.value;
  for (const entry of all) if (entry.scope !== undefined && inScope(blueprint, entry.scope)) values[entry.name] = entry.value;
  return values;
}

/** Throws a BlueprintError for the first `--set` value none of the blueprints takes. */
export function checkSetValuesUsed(blueprints: readonly BlueprintIdentity[], given: Readonly<Record<string, string>>): void {
  for (const entry of parse(given)) {
    if (entry.scope !== undefined) {
      if (!blueprints.some((blueprint) => inScope(blueprint, entry.scope!))) {
        const names = blueprints.map((blueprint) => blueprint.metadata.name).join(', ');
        throw new BlueprintError(`--set ${entry.key}`, `no RoleBlueprint named "${entry.scope}" is in the files (they hold ${names || 'none'}); --set NAME=VALUE sets every blueprint's NAME`);
      }
      continue;
    }
    if (blueprints.some((blueprint) => declares(blueprint, entry.name))) continue;
    if (blueprints.length === 1) {
      const declared = (blueprints[0]!.spec.parameters ?? []).map((declaration) => declaration.name).join(', ');
      throw new BlueprintError(`--set ${entry.key}`, `the blueprint declares no parameter "${entry.name}" (it declares ${declared})`);
    }
    throw new BlueprintError(`--set ${entry.key}`, `no RoleBlueprint of the files declares a parameter "${entry.name}"`);
  }
}
