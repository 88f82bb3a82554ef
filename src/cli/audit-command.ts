/**
 * `rolecall audit`: the CloudTrail-format audit trail as JSON lines, oldest first, filtered by principal,
 * event name, time range and errors.
 */
import { parseFlags, UsageError } from './flags.js';
import { openStoreFromFlags, STORE_FLAGS } from './store-flags.js';
import type { AuditFilter } from '../store/types.js';


function isoTime(flag: string, value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--${flag} must be an ISO 8601 time`);
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function runAuditCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, { values: ['principal', 'event', 'since', 'until', 'limit', ...STORE_FLAGS], switches: ['errors'] });
  const filter: AuditFilter = {};
  if (flags.values.principal) filter.principalArn = flags.values.principal;
  if (flags.values.event) filter.eventName = flags.values.event;
  if (flags.values.since) filter.from = isoTime('since', flags.values.since);
  if (flags.values.until) filter.to = isoTime('until', flags.values.until);
  if (flags.switches.has('errors')) filter.errorsOnly = true;
  if (flags.values.limit) {
    const limit = Number(flags.values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
    filter.limit = limit;
  }
  const store = await openStoreFromFlags(flags.values);
  try {
    for (const record of await store.queryAudit(filter)) process.stdout.write(`${JSON.stringify(record.event)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
