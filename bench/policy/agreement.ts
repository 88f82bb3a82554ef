/**
 * Agreement between the two engines: every request's decision is compared, and the disagreements are
 * grouped by kind — both decisions plus the statements each engine says decided — so each kind can be
 * checked once against AWS's documentation.
 */
import type { Decision } from '../../src/policy/types.js';
import type { BenchRequest } from './workload.js';

export interface DisagreementKind {
  rolecall: Decision;
  iamSimulate: Decision;
  /** Rolecall's decisive statements (statement indexes from 0). */
  rolecallReason: string;
  /** iam-simulate's grant or denial reasons (statement indexes from 1). */
  iamSimulateReason: string;
  count: number;
  actions: string[];
  example: BenchRequest;
}

export interface Agreement {
  /** Requests both engines decided. */
  compared: number;
  agreed: number;
  /** Requests iam-simulate refused to simulate (validation errors), with the distinct reasons. */
  rejectedByPeer: number;
  rejections: string[];
  kinds: DisagreementKind[];
}

export interface AgreementInputs {
  requests: readonly BenchRequest[];
  rolecall: readonly Decision[];
  /** iam-simulate's decision, or its validation error. */
  iamSimulate: ReadonlyArray<{ decision?: Decision; error?: string }>;
  explainRolecall(index: number): string;
  explainIamSimulate(index: number): Promise<string>;
}

/** Describing a disagreement costs a full peer run; past this many, kinds are still counted by decisions alone. */
const EXPLAINED_DISAGREEMENTS = 2000;

export async function compareDecisions(inputs: AgreementInputs): Promise<Agreement> {
  const kinds = new Map<string, DisagreementKind>();
  const rejections = new Set<string>();
  let compared = 0;
  let agreed = 0;
  let rejectedByPeer = 0;
  let explained = 0;
  for (let index = 0; index < inputs.requests.length; index++) {
    const peer = inputs.iamSimulate[index]!;
    if (peer.decision === undefined) {
      rejectedByPeer++;
      rejections.add(peer.error ?? 'unknown error');
      continue;
    }
    compared++;
    const rolecall = inputs.rolecall[index]!;
    if (rolecall === peer.decision) {
      agreed++;
      continue;
    }
    const describe = explained++ < EXPLAINED_DISAGREEMENTS;
    const rolecallReason = describe ? inputs.explainRolecall(index) : 'not described';
    const iamSimulateReason = describe ? await inputs.explainIamSimulate(index) : 'not described';
    const key = [rolecall, peer.decision, rolecallReason, iamSimulateReason].join('|');
    const request = inputs.requests[index]!;
    const kind = kinds.get(key);
    if (kind) {
      kind.count++;
      if (!kind.actions.includes(request.action)) kind.actions.push(request.action);
    } else {
      kinds.set(key, { rolecall, iamSimulate: peer.decision, rolecallReason, iamSimulateReason, count: 1, actions: [request.action], example: request });
    }
  }
  const sorted = [...kinds.values()].sort((a, b) => b.count - a.count);
  return { compared, agreed, rejectedByPeer, rejections: [...rejections], kinds: sorted };
}
