/** The operations each service endpoint serves, by the model's operation name. */
import { ROLE_AND_POLICY_OPERATIONS } from '../iam/role-operations.js';
import { USER_AND_ACCOUNT_OPERATIONS } from '../iam/user-operations.js';
import { SIMULATION_OPERATIONS } from '../iam/simulate.js';
import { CONTEXT_KEY_OPERATIONS } from '../iam/context-keys.js';
import type { AnyOperation } from '../iam/operation.js';
import { STS_OPERATIONS } from '../sts/operations.js';

export type ServiceName = 'iam' | 'sts';

function byName(operations: readonly AnyOperation[]): ReadonlyMap<string, AnyOperation> {
  const map = new Map<string, AnyOperation>();
  for (const operation of operations) {
    if (map.has(operation.name)) throw new Error(`Operation ${operation.name} is registered twice`);
    map.set(operation.name, operation);
  }
  return map;
}

export const OPERATIONS: Readonly<Record<ServiceName, ReadonlyMap<string, AnyOperation>>> = {
  iam: byName([...ROLE_AND_POLICY_OPERATIONS, ...USER_AND_ACCOUNT_OPERATIONS, ...SIMULATION_OPERATIONS, ...CONTEXT_KEY_OPERATIONS]),
  sts: byName(STS_OPERATIONS),
};

