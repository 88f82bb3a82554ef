/**
 * Which roles of an account carry rolecall's ownership tag, and for which object: the one listing that
 * finds a role left under an earlier roleName (so a rename replaces it instead of orphaning it) and the
 * roles `apply --prune` deletes. IAM's ListRoles does not return tags; GetAccountAuthorizationDetails
 * (Filter Role) does, up to 1,000 roles with their tags per call, so the scan asks it first. An identity
 * not allowed iam:GetAccountAuthorizationDetails (seed 001's iam-policy.json does not grant it) gets
 * AccessDenied, and the scan falls back to ListRoles plus ListRoleTags of each listed role, except roles
 * the applied files declare by name (their owners are checked when reconciled).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { RecordingIam } from './iam-calls.js';
import { failureOf, type ApiCall } from './recording-client.js';
import { OWNER_TAG_KEY } from './ownership.js';
import { mapInOrder } from './concurrency.js';
import { allPages } from './observed-role.js';

type Tag = { Key?: string; Value?: string };

/** Owner → role names, from roles and their tags. */
function ownersOf(roles: ReadonlyArray<{ name: string; tags: readonly Tag[] }>): Map<string, string[]> {
  const owned = new Map<string, string[]>();
  for (const role of roles) {
    const owner = role.tags.find((tag) => tag.Key === OWNER_TAG_KEY)?.Value;
    if (owner !== undefined) owned.set(owner, [...(owned.get(owner) ?? []), role.name]);
  }
  return owned;
}

/** The roles found per owner (`namespace/name` → role names). */
export type OwnedRoles = ReadonlyMap<string, readonly string[]>;

/** Lists the account's roles and their ownership tags once, on first use. */
export class OwnershipScan {
  private result: Promise<OwnedRoles> | undefined;
  private readonly iam: RecordingIam;

  constructor(
    client: IAMClient,
    private readonly skipNames: ReadonlySet<string>,
    private readonly concurrency = 8,
  ) {
    this.iam = new RecordingIam(client);
  }

  /** The calls the scan made. */
  get calls(): readonly ApiCall[] {
    return this.iam.calls;
  }

  /** Owner → role names, listed on the first call and shared after. */
  owned(): Promise<OwnedRoles> {
    this.result ??= this.scan();
    return this.result;
  }

  /** Role names owned by `owner`. */
  async rolesOwnedBy(owner: string): Promise<string[]> {
    return [...((await this.owned()).get(owner) ?? [])];
  }

  private async scan(): Promise<OwnedRoles> {
    const detailed = await this.rolesWithTags();
    if (detailed) return ownersOf(detailed.filter((role) => !this.skipNames.has(role.name.toLowerCase())));
    const listed = await allPages(
      (marker) => this.iam.call('ListRoles', { MaxItems: 1000, ...marker }),
      (page: { Roles?: Array<{ RoleName?: string; Tags?: Array<{ Key?: string; Value?: string }> }> }) => page.Roles,
    );
    const roles = listed
      .filter((role) => role.RoleName && !this.skipNames.has(role.RoleName.toLowerCase()))
      .map((role) => ({ name: role.RoleName!, ...(role.Tags ? { tags: role.Tags } : {}) }));
    const tags = await mapInOrder(roles, this.concurrency, async (role) => role.tags ?? (await this.allTags(role.name)));
    return ownersOf(roles.map((role, index) => ({ name: role.name, tags: tags[index]! })));
  }

  /** Every role with its tags through GetAccountAuthorizationDetails, or undefined when the caller may not call it. */
  private async rolesWithTags(): Promise<Array<{ name: string; tags: Tag[] }> | undefined> {
    try {
      const details = await allPages(
        (marker) => this.iam.call('GetAccountAuthorizationDetails', { Filter: ['Role'], MaxItems: 1000, ...marker }),
        (page: { RoleDetailList?: Array<{ RoleName?: string; Tags?: Tag[] }> }) => page.RoleDetailList,
      );
      return details.filter((role) => role.RoleName).map((role) => ({ name: role.RoleName!, tags: role.Tags ?? [] }));
    } catch (error) {
      if (failureOf(error).code === 'AccessDenied') return undefined;
      throw error;
    }
  }

  private allTags(roleName: string): Promise<Tag[]> {
    return allPages((marker) => this.iam.call('ListRoleTags', { RoleName: roleName, ...marker }), (page: { Tags?: Array<{ Key?: string; Value?: string }> }) => page.Tags);
  }
}
