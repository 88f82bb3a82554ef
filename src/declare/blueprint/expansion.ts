/**
 * RoleBlueprint as a kind `rolecall apply` (and diff, get, describe, delete) accepts directly: its
 * document is checked against the RoleBlueprint schema, rendered with the command's `--set` values, and
 * replaced by what it renders: the IAMRoles, the Pod Identity associations (reconciled through EKS after
 * the roles) and the IRSA ServiceAccounts (for a cluster: `apply` says it skips them).
 */
import type { ExpandingKind } from '../kinds.js';
import { ManifestError, documentLocation, type ManifestDocument } from '../manifests.js';
import { checkAgainstSchema } from '../schema-validation.js';
import { BlueprintError } from './blueprint-error.js';
import { ROLE_BLUEPRINT_SCHEMA } from './blueprint-schema.js';
import { checkSetValuesUsed, setValuesFor } from './set-values.js';
import { BLUEPRINT_API_VERSION, BLUEPRINT_KIND, renderBlueprint, renderedObjects, type RenderedBlueprint, type RoleBlueprint } from './render.js';

/** `RoleBlueprint namespace/name`, as messages name the object. */
function describeBlueprint(object: Record<string, unknown>): string {
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return `${BLUEPRINT_KIND} ${typeof metadata.namespace === 'string' ? metadata.namespace : 'default'}/${String(metadata.name ?? '(no name)')}`;
}

/** The document as a RoleBlueprint, or a ManifestError listing every schema problem. */
export function blueprintOf(document: ManifestDocument): RoleBlueprint {
  const { object } = document;
  const problems = checkAgainstSchema(object, ROLE_BLUEPRINT_SCHEMA);
  const metadata = object.metadata as { name?: unknown } | undefined;
  if (typeof metadata?.name !== 'string' || metadata.name === '') problems.unshift({ field: 'metadata.name', message: 'Required value' });
  if (problems.length > 0) {
    throw new ManifestError(documentLocation(document), `${describeBlueprint(object)}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }
  return object as unknown as RoleBlueprint;
}

/**
 * Checks the `--set` values against every blueprint document of a command at once (set-values.ts): a
 * value no blueprint takes is a ManifestError naming the flag.
 */
export function checkBlueprintSetValues(documents: readonly ManifestDocument[], parameters: Readonly<Record<string, string>>): void {
  if (Object.keys(parameters).length === 0) return;
  const blueprints = documents.map(blueprintOf);
  try {
    checkSetValuesUsed(blueprints, parameters);
  } catch (error) {
    if (error instanceof BlueprintError) throw new ManifestError(error.field, error.problem);
    throw error;
  }
}

/**
 * Renders a blueprint document with the `--set` values meant for it (plain ones it declares, scoped ones
 * naming it); a BlueprintError becomes a ManifestError naming file, object and field. Unless the caller
 * checked the values across all its blueprints, they are checked against this one alone.
 */
export function renderBlueprintDocument(document: ManifestDocument, parameters: Readonly<Record<string, string>>, options: { setValuesChecked?: boolean } = {}): RenderedBlueprint {
  const blueprint = blueprintOf(document);
  try {
    if (!options.setValuesChecked) checkSetValuesUsed([blueprint], parameters);
    return renderBlueprint(blueprint, setValuesFor(blueprint, parameters));
  } catch (error) {
    if (error instanceof BlueprintError) throw new ManifestError(documentLocation(document), `${describeBlueprint(document.object)}: ${error.message}`);
    throw error;
  }
}

/** The expanding kind registered with `rolecall apply`. */
export const ROLE_BLUEPRINT_EXPANSION: ExpandingKind = {
  apiVersions: [BLUEPRINT_API_VERSION],
  kind: BLUEPRINT_KIND,
  checkContext: (documents, context) => checkBlueprintSetValues(documents, context.parameters),
  expand(document, context) {
    const rendered = renderBlueprintDocument(document, context.parameters, { setValuesChecked: true });
    return renderedObjects(rendered).map((object) => ({ source: document.source, document: document.document, object: object as unknown as Record<string, unknown> }));
  },
};
