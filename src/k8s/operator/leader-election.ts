/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does, so two
 * replicas never both act: a candidate takes the Lease when it is free or when its holder has not
 * renewed it for leaseDurationSeconds — measured on the candidate's own clock from when it last saw
 * the record change, so clock skew between nodes cannot make a live leader look expired. Every write is
 * a compare-and-swap on resourceVersion: of two candidates racing, exactly one wins. A leader that
 * cannot renew within renewDeadline stops leading before its Lease can expire for the others; one that
 * stops cleanly releases the Lease so a standby takes over at once.
 */
import { ApiException, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** This replica's identity (the pod name), recorded as holderIdentity. */
  identity: string;
  /** How long a Lease holds without renewal (default 15 s). */
  leaseDurationSeconds?: number;
  /** A leader stops leading when it could not renew for this long (default 10 s). */
  renewDeadlineMs?: number;
  /** Interval between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
}

export interface LeaderCallbacks {
  onStartedLeading(): void | Promise<void>;
  onStoppedLeading(): void | Promise<void>;
}

function isStatus(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

/** Runs the election loop of one candidate until stopped. */
export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRenewal = 0;
  private observedRecord = '';
  private observedAt = 0;
  /** The acquire-or-renew attempt under way, which a release must not race. */
  private attempt: Promise<boolean> | undefined;

  constructor(
    private readonly leases: CoordinationV1Api,
    private readonly options: LeaderElectionOptions,
    private readonly callbacks: LeaderCallbacks,
  ) {}

  /** Whether this candidate currently leads. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Starts trying to acquire (and then renew) the Lease. */
  start(): void {
    void this.tick();
  }

  /** Stops; a leader releases the Lease (holderIdentity cleared) so another replica can take over now. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.attempt?.catch(() => false);
    if (this.leading) {
      await this.release().catch(() => undefined);
      await this.stepDown();
    }
  }

  private get leaseDurationSeconds(): number {
    return this.options.leaseDurationSeconds ?? 15;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let acquired = false;
    try {
      this.attempt = this.tryAcquireOrRenew();
      acquired = await this.attempt;
    } catch {
      acquired = false;
    } finally {
      this.attempt = undefined;
    }
    if (this.stopped) return;
    if (acquired) {
      this.lastRenewal = Date.now();
      if (!this.leading) {
        this.leading = true;
        await this.callbacks.onStartedLeading();
      }
    } else if (this.leading && Date.now() - this.lastRenewal > (this.options.renewDeadlineMs ?? 10_000)) {
      await this.stepDown();
    }
    this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs ?? 2000);
  }

  private async stepDown(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.callbacks.onStoppedLeading();
  }

  /**
   * The current time as a Lease's MicroTime: RFC 3339 with exactly six fractional digits, which the API
   * server requires (client-node would send a Date with three, and types the field as Date).
   */
  private now(): Date {
    return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    let lease: V1Lease;
    try {
      lease = await this.leases.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
      try {
        await this.leases.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: { holderIdentity: identity, leaseDurationSeconds: this.leaseDurationSeconds, acquireTime: this.now(), renewTime: this.now(), leaseTransitions: 0 },
          },
        });
        return true;
      } catch (createError) {
        if (isStatus(createError, 409)) return false;
        throw createError;
      }
    }
    const spec = lease.spec ?? {};
    // client-node hands MicroTime fields back as strings whatever their declared type.
    const record = `${spec.holderIdentity ?? ''}|${String(spec.renewTime ?? '')}|${String(spec.acquireTime ?? '')}`;
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = Date.now();
    }
    const heldByOther = spec.holderIdentity !== undefined && spec.holderIdentity !== '' && spec.holderIdentity !== identity;
    const duration = (spec.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1000;
    if (heldByOther && this.observedAt + duration > Date.now()) return false;
    const takingOver = spec.holderIdentity !== identity;
    try {
      await this.leases.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: this.leaseDurationSeconds,
            acquireTime: takingOver ? this.now() : (spec.acquireTime ?? this.now()),
            renewTime: this.now(),
            leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver ? 1 : 0),
          },
        },
      });
      return true;
    } catch (error) {
      // Another candidate wrote first (resourceVersion changed): it won this round.
      if (isStatus(error, 409)) return false;
      throw error;
    }
  }

  private async release(): Promise<void> {
    const { namespace, name, identity } = this.options;
    const lease = await this.leases.readNamespacedLease({ name, namespace });
    if (lease.spec?.holderIdentity !== identity) return;
    await this.leases.replaceNamespacedLease({
      name,
      namespace,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: this.now() } },
    });
  }
}
