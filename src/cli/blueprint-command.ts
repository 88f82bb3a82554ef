/**
 * `rolecall blueprint render -f BLUEPRINT [--set [BLUEPRINT.]NAME=VALUE ...] [-o yaml|json]`: expands RoleBlueprint
 * documents into plain IAMRole manifests, ServiceAccounts annotated for IRSA and Pod Identity
 * associations, on stdout; warnings (the any-namespace IRSA pattern) on stderr. Other documents of the
 * files pass through unchanged, so the output is itself applyable.
 */
import { stringify } from 'yaml';
import { parseDeclareFlags } from './declare-flags.js';
import { UsageError } from './flags.js';
import { loadManifests, ManifestError } from '../declare/index.js';
import { checkBlueprintSetValues, renderBlueprintDocument } from '../declare/blueprint/expansion.js';
import { BLUEPRINT_API_VERSION, BLUEPRINT_KIND, renderedObjects } from '../declare/blueprint/render.js';

/** Runs `rolecall blueprint SUBCOMMAND ...`. */
export async function runBlueprintCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'render') throw new UsageError(`unknown blueprint command '${subcommand ?? ''}' (rolecall blueprint render -f FILE --set NAME=VALUE)`);
  const flags = parseDeclareFlags(rest, { values: [], switches: [] });
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument ${flags.positional[0]}`);
  const output = flags.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') throw new UsageError('-o must be yaml or json');
  const objects: unknown[] = [];
  try {
    const documents = await loadManifests(flags.files, { recursive: flags.recursive });
    const blueprints = documents.filter((d) => d.object.kind === BLUEPRINT_KIND && d.object.apiVersion === BLUEPRINT_API_VERSION);
    if (blueprints.length === 0) throw new UsageError(`no ${BLUEPRINT_KIND} (${BLUEPRINT_API_VERSION}) in ${flags.files.join(', ')}`);
    checkBlueprintSetValues(blueprints, flags.parameters);
    for (const document of documents) {
      if (!blueprints.includes(document)) {
        objects.push(document.object);
        continue;
      }
      const rendered = renderBlueprintDocument(document, flags.parameters, { setValuesChecked: true });
      for (const warning of rendered.warnings) process.stderr.write(`warning: ${warning}\n`);
      objects.push(...renderedObjects(rendered));
    }
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  if (output === 'json') process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  else process.stdout.write(objects.map((object) => stringify(object, { lineWidth: 0, blockQuote: 'literal' })).join('---\n'));
  return 0;
}
