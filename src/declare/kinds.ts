/**
 * The hook through which other kinds enter `rolecall apply`: a kind that stands for IAMRoles (a
 * RoleBlueprint renders to them) registers an expander here, and its documents are replaced by the
 * documents it expands to before validation, so everything downstream sees plain IAMRoles.
 */
import { ROLE_BLUEPRINT_EXPANSION } from './blueprint/expansion.js';
import { ManifestError, documentLocation, type ManifestDocument } from './manifests.js';

/** What an expander may use besides the document: `--set name=value` parameters of the command. */
export interface ExpansionContext {
  parameters: Readonly<Record<string, string>>;
}

/** A kind that expands into other objects. */
export interface ExpandingKind {
  apiVersions: readonly string[];
  kind: string;
  /** The documents this one stands for; throws ManifestError naming the field on bad input. */
  expand(document: ManifestDocument, context: ExpansionContext): ManifestDocument[];
  /** Checks the context against all of this kind's documents at once (a `--set` no blueprint takes); throws ManifestError. */
  checkContext?(documents: ManifestDocument[], context: ExpansionContext): void;
}

/** The registered expanding kinds. */
export const EXPANDING_KINDS: ExpandingKind[] = [ROLE_BLUEPRINT_EXPANSION];

/** Replaces each document of an expanding kind by its expansion (once: expansions are not re-expanded). */
export function expandDocuments(
  documents: readonly ManifestDocument[],
  context: ExpansionContext = { parameters: {} },
  kinds: readonly ExpandingKind[] = EXPANDING_KINDS,
): ManifestDocument[] {
  const kindOf = (document: ManifestDocument) => kinds.find((candidate) => candidate.kind === document.object.kind && candidate.apiVersions.includes(String(document.object.apiVersion)));
  for (const kind of kinds) kind.checkContext?.(documents.filter((document) => kindOf(document) === kind), context);
  return documents.flatMap((document) => {
    const kind = kindOf(document);
    if (!kind) return [document];
    try {
      return kind.expand(document, context);
    } catch (error) {
      if (error instanceof ManifestError) throw error;
      throw new ManifestError(documentLocation(document), error instanceof Error ? error.message : String(error));
    }
  });
}
