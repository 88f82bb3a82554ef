/**
 * The three STS workloads, identical for Rolecall and moto: AssumeRole by an IAM user with an ExternalId,
 * AssumeRoleWithWebIdentity (unsigned, as AWS takes it) with pre-minted tokens, and GetCallerIdentity
 * signed with one session's temporary credentials. Every answer is checked: a server that answers fast
 * without issuing a session cannot look fast.
 */
import type { BenchTarget } from '../server/harness.js';
import type { Recorder, Step } from '../server/load.js';
import { xmlText, type QueryClient, type QueryResponse } from '../server/query-client.js';
import { ACCOUNT_ID, ASSUMED_ROLE, EXTERNAL_ID, WEB_IDENTITY_ROLE, type StsFixture } from './fixtures.js';

/** One server with its clients for the STS workloads. */
export interface StsTarget extends BenchTarget {
  fixture: StsFixture;
  /** STS client signing as the fixture's IAM user. */
  caller: QueryClient;
  /** STS client signing with the temporary credentials of one AssumeRole session. */
  session: QueryClient;
  /** The ARN GetCallerIdentity must answer for `session`. */
  sessionArn: string;
  /** Pre-minted web-identity tokens, used in turn. */
  tokens: readonly string[];
}

export interface StsWorkload {
  id: string;
  title: string;
  /** Builds the step for one measured phase; `phase` keeps session names unique across phases. */
  step(target: StsTarget, phase: string): Step;
}

/** The ARN of a role session, as AssumeRole's AssumedRoleUser carries it. */
export function assumedRoleArn(roleName: string, sessionName: string): string {
  return `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`;
}

/** Why an AssumeRole* answer is not a new session of `expectedArn`, or undefined when it is one. */
export function sessionFailure(action: string, response: QueryResponse, expectedArn: string): string | undefined {
  if (response.status !== 200) return `${action}: HTTP ${response.status} ${response.body.slice(0, 300)}`;
  const accessKeyId = xmlText(response.body, 'AccessKeyId');
  if (!accessKeyId?.startsWith('ASIA') || !xmlText(response.body, 'SecretAccessKey') || !xmlText(response.body, 'SessionToken')) {
    return `${action}: no temporary credentials in ${response.body.slice(0, 300)}`;
  }
  const arn = xmlText(response.body, 'Arn');
  return arn === expectedArn ? undefined : `${action}: session ${arn} instead of ${expectedArn}`;
}

/** Times one request, send to last byte (signing included, as an SDK's call would), and checks its answer. */
async function timed(record: Recorder, send: () => Promise<QueryResponse>, check: (response: QueryResponse) => string | undefined): Promise<void> {
  const start = performance.now();
  const response = await send();
  const milliseconds = performance.now() - start;
  record(milliseconds, check(response));
}

export const STS_WORKLOADS: readonly StsWorkload[] = [
  {
    id: 'assume-role',
    title: 'AssumeRole',
    step: (target, phase) => (worker, iteration, record) => {
      const RoleSessionName = `${phase}-${worker}-${iteration}`;
      const parameters = { RoleArn: target.fixture.assumedRoleArn, RoleSessionName, ExternalId: EXTERNAL_ID };
      return timed(record, () => target.caller.call('AssumeRole', parameters), (response) => sessionFailure('AssumeRole', response, assumedRoleArn(ASSUMED_ROLE, RoleSessionName)));
    },
  },
  {
    id: 'assume-role-with-web-identity',
    title: 'AssumeRoleWithWebIdentity',
    step: (target, phase) => {
      let next = 0;
      return (worker, iteration, record) => {
        const RoleSessionName = `${phase}-${worker}-${iteration}`;
        const parameters = { RoleArn: target.fixture.webIdentityRoleArn, RoleSessionName, WebIdentityToken: target.tokens[next++ % target.tokens.length]! };
        return timed(
          record,
          () => target.caller.send(target.caller.unsigned('AssumeRoleWithWebIdentity', parameters)),
          (response) => sessionFailure('AssumeRoleWithWebIdentity', response, assumedRoleArn(WEB_IDENTITY_ROLE, RoleSessionName)),
        );
      };
    },
  },
  {
    id: 'get-caller-identity',
    title: 'GetCallerIdentity (ASIA)',
    step: (target) => (_worker, _iteration, record) =>
      timed(
        record,
        () => target.session.call('GetCallerIdentity'),
        (response) => {
          if (response.status !== 200) return `GetCallerIdentity: HTTP ${response.status} ${response.body.slice(0, 300)}`;
          const arn = xmlText(response.body, 'Arn');
          return arn === target.sessionArn ? undefined : `GetCallerIdentity: ${arn} instead of ${target.sessionArn}`;
        },
      ),
  },
];
