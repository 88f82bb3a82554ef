/**
 * The three server workloads, identical for Rolecall and moto: GetRole on an existing role, ListRoles over
 * 50 roles (one page), and CreateRole followed by DeleteRole of a fresh name. Every answer is checked, so
 * a server that answers fast with an error cannot look fast.
 */
import type { Recorder, Step } from './load.js';
import { xmlTexts, type QueryClient, type QueryParameters } from './query-client.js';

export const FIXTURE_ROLE_COUNT = 50;
const FIXTURE_PREFIX = 'bench-role-';
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export interface ServerWorkload {
  id: string;
  title: string;
  /** Builds the step for one measured phase; `phase` keeps names unique across warm-up and measurement. */
  step(client: QueryClient, phase: string): Step;
}

function fixtureRoleName(index: number): string {
  return `${FIXTURE_PREFIX}${String(index).padStart(2, '0')}`;
}

/** Sends one action, timing it and recording a failure unless it got HTTP 200. */
async function timedCall(client: QueryClient, record: Recorder, action: string, parameters: QueryParameters): Promise<void> {
  const start = performance.now();
  const response = await client.call(action, parameters);
  const milliseconds = performance.now() - start;
  record(milliseconds, response.status === 200 ? undefined : `${action}: HTTP ${response.status} ${response.body.slice(0, 300)}`);
}

/** Creates the 50 fixture roles and checks that ListRoles shows exactly them, on a fresh server. */
export async function createFixtureRoles(client: QueryClient): Promise<void> {
  for (let i = 0; i < FIXTURE_ROLE_COUNT; i++) {
    const response = await client.call('CreateRole', { RoleName: fixtureRoleName(i), AssumeRolePolicyDocument: TRUST_POLICY, Description: `bench fixture ${i}` });
    if (response.status !== 200) throw new Error(`creating ${fixtureRoleName(i)}: HTTP ${response.status} ${response.body.slice(0, 500)}`);
  }
  const listed = await client.call('ListRoles');
  const names = xmlTexts(listed.body, 'RoleName');
  if (listed.status !== 200 || names.length !== FIXTURE_ROLE_COUNT) {
    throw new Error(`ListRoles should show the ${FIXTURE_ROLE_COUNT} fixture roles; got HTTP ${listed.status} with ${names.length} roles`);
  }
}

export const SERVER_WORKLOADS: readonly ServerWorkload[] = [
  {
    id: 'get-role',
    title: 'GetRole',
    step: (client) => (_worker, iteration, record) => timedCall(client, record, 'GetRole', { RoleName: fixtureRoleName(iteration % FIXTURE_ROLE_COUNT) }),
  },
  {
    id: 'list-roles',
    title: `ListRoles (${FIXTURE_ROLE_COUNT} roles)`,
    step: (client) => (_worker, _iteration, record) => timedCall(client, record, 'ListRoles', {}),
  },
  {
    id: 'create-delete-role',
    title: 'CreateRole+DeleteRole',
    step: (client, phase) => async (worker, iteration, record) => {
      const RoleName = `bench-${phase}-${worker}-${iteration}`;
      await timedCall(client, record, 'CreateRole', { RoleName, AssumeRolePolicyDocument: TRUST_POLICY });
      await timedCall(client, record, 'DeleteRole', { RoleName });
    },
  },
];
