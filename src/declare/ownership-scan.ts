/**
 * Which roles of an account carry rolecall's ownership tag, and for which object: the one listing that
 * finds a role left under an earlier roleName (so a rename replaces it instead of orphaning it) and the
 * roles `apply --prune` deletes. IAM's ListRoles does not return tags, so each listed role's tags are
 * read, except roles the applied files declare by name (their owners are checked when reconciled).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { RecordingIam, type ApiCall } from './iam-calls.js';
import { OWNER_TAG_KEY } from './ownership.js';
import { mapInOrder } from './concurrency.js';
import { allPages } from './observed-role.js';

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
    const listed = await allPages(
      (marker) => this.iam.call('ListRoles', { MaxItems: 1000, ...marker }),
      (page: { Roles?: Array<{ RoleName?: string; Tags?: Array<{ Key?: string; Value?: string }> }> }) => page.Roles,
    );
    const roles = listed
      .filter((role) => role.RoleName && !this.skipNames.has(role.RoleName.toLowerCase()))
      .map((role) => ({ name: role.RoleName!, ...(role.Tags ? { tags: role.Tags } : {}) }));
    const owners = await mapInOrder(roles, this.concurrency, async (role) => {
      const tags = role.tags ?? (await this.allTags(role.name));
      return tags.find((tag) => tag.Key === OWNER_TAG_KEY)?.Value;
    });
    const owned = new Map<string, string[]>();
    roles.forEach((role, index) => {
      const owner = owners[index];
      if (owner !== undefined) owned.set(owner, [...(owned.get(owner) ?? []), role.name]);
    });
    return owned;
  }

  private allTags(roleName: string): Promise<Array<{ Key?: string; Value?: string }>> {
    return allPages((marker) => this.iam.call('ListRoleTags', { RoleName: roleName, ...marker }), (page: { Tags?: Array<{ Key?: string; Value?: string }> }) => page.Tags);
  }
}
