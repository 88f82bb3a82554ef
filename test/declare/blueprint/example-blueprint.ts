/** The shipped example blueprint (examples/aoscloud-blueprint.yaml), loaded as `rolecall` loads it. */
import { join } from 'node:path';
import { loadManifests, type ManifestDocument } from '../../../src/declare/index.js';
import { REPO_ROOT } from '../../e2e/harness.js';

export const EXAMPLE_PATH = join(REPO_ROOT, 'examples', 'aoscloud-blueprint.yaml');

/** The example's documents: [AWSProvider, RoleBlueprint]. */
export async function exampleDocuments(): Promise<ManifestDocument[]> {
  return loadManifests([EXAMPLE_PATH]);
}

/** The RoleBlueprint document of the example. */
export async function exampleBlueprintDocument(): Promise<ManifestDocument> {
  const blueprint = (await exampleDocuments()).find((document) => document.object.kind === 'RoleBlueprint');
  if (!blueprint) throw new Error(`${EXAMPLE_PATH} has no RoleBlueprint`);
  return blueprint;
}
