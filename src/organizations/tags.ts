/** Tags given at creation (CreateAccount, CreateOrganizationalUnit, CreatePolicy): keys unique per entity. */
import type { Tag } from '../model/entities.js';
import { invalidInput } from './errors.js';

/** The tags to store; InvalidInputException DUPLICATE_TAG_KEY when a key repeats. */
export function tagsToStore(tags: readonly Tag[] | undefined): Tag[] {
  const keys = (tags ?? []).map((tag) => tag.Key);
  if (new Set(keys).size !== keys.length) throw invalidInput('DUPLICATE_TAG_KEY');
  return (tags ?? []).map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}
