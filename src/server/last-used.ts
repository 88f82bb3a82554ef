/**
 * Access key and role "last used" information (GetAccessKeyLastUsed, GetRole's RoleLastUsed). AWS
 * updates it lazily; so do we: at most one store write per key per interval, off the request path, so
 * a busy key costs a map lookup per request rather than a durable write.
 */
import type { AccessKey, Role } from '../model/entities.js';
import type { Store } from '../store/types.js';

export class LastUsedTracker {
  private readonly recorded = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly intervalMs = 60_000,
  ) {}

  /** Notes that an access key signed a request for `service` in `region`. */
  accessKeyUsed(accessKeyId: string, service: string, region: string, now: Date): void {
    if (!this.due(`key:${accessKeyId}`, now)) return;
    this.update(async () =>
      this.store.write(async (tx) => {
        const key = await tx.find<AccessKey>('accessKey', accessKeyId);
        if (!key) return;
        key.LastUsed = { LastUsedDate: now.toISOString(), ServiceName: service, Region: region };
        await tx.put('accessKey', key.AccountId, accessKeyId, key);
      }),
    );
  }

  /** Notes that a session of a role made a request in `region`. */
  roleUsed(accountId: string, roleName: string, region: string, now: Date): void {
    if (!this.due(`role:${accountId}:${roleName.toLowerCase()}`, now)) return;
    this.update(async () =>
      this.store.write(async (tx) => {
        const role = await tx.get<Role>('role', accountId, roleName);
        if (!role) return;
        role.RoleLastUsed = { LastUsedDate: now.toISOString(), Region: region };
        await tx.put('role', accountId, roleName, role);
      }),
    );
  }

  private due(key: string, now: Date): boolean {
    const last = this.recorded.get(key);
    if (last !== undefined && now.getTime() - last < this.intervalMs) return false;
    if (this.recorded.size > 100_000) this.recorded.clear();
    this.recorded.set(key, now.getTime());
    return true;
  }

  private update(write: () => Promise<void>): void {
    const pending = write()
      .catch((error: unknown) => {
        process.stderr.write(`rolecall: last-used update failed: ${(error as Error).message}\n`);
      })
      .finally(() => this.inFlight.delete(pending));
    this.inFlight.add(pending);
  }

  /** Waits for the updates under way (before the store closes). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
