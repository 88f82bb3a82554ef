/**
 * Workload 4, the cold path: the simple workload's requests, but Rolecall is handed every policy as JSON
 * text it has never seen, so each decision parses, validates (for the policy's kind), compiles and
 * evaluates — as SimulateCustomPolicy, `rolecall policy eval` over distinct documents and bulk validation
 * do. iam-simulate, which keeps nothing between calls, decides the same requests with the same policies.
 */
import { buildSimpleWorkload } from './simple-workload.js';
import type { Workload } from './workload.js';

export function buildColdWorkload(size: number): Workload {
  const simple = buildSimpleWorkload(size);
  return { id: 'cold', title: 'simple allow, every policy document new to Rolecall (parse, validate, compile, evaluate)', cases: simple.cases, cold: true };
}
