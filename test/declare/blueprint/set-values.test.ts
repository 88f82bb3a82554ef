/** `--set` across several blueprints of one apply: plain NAME=VALUE for every blueprint that declares it, BLUEPRINT.NAME=VALUE for one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandDocuments, parseManifestText, ManifestError } from '../../../src/declare/index.js';
import { renderBlueprintDocument } from '../../../src/declare/blueprint/expansion.js';

function blueprint(name: string, parameters: string[], namespace = 'default'): string {
  return `apiVersion: rolecall.dev/v1alpha1
kind: RoleBlueprint
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  providerRef: {name: p}
  identity: {accountId: '123456789012'}
  parameters: [${parameters.map((parameter) => `{name: ${parameter}, type: string}`).join(', ')}]
  roles:
    - {id: r, roleName: '{${parameters.join('}-{')}}', trust: {mode: service, service: ec2.amazonaws.com}}
`;
}

const FILES = parseManifestText([blueprint('payments', ['project', 'env']), blueprint('billing.v2', ['project', 'env', 'tier'])].join('---\n'), 'bp.yaml');

function roleNames(parameters: Record<string, string>): string[] {
  return expandDocuments(FILES, { parameters }).map((document) => (document.object.spec as { roleName: string }).roleName);
}

test('--set NAME=VALUE sets every blueprint that declares NAME; a blueprint that does not declare it is left alone', () => {
  assert.deepEqual(roleNames({ project: 'aos', env: 'prod', tier: 'web' }), ['aos-prod', 'aos-prod-web']);
});

test('--set BLUEPRINT.NAME=VALUE sets one blueprint only and wins over the plain form; the scope splits at the last dot (blueprint names may have dots)', () => {
  assert.deepEqual(roleNames({ project: 'aos', env: 'prod', 'payments.env': 'dev', 'billing.v2.tier': 'api' }), ['aos-dev', 'aos-prod-api']);
  assert.deepEqual(roleNames({ project: 'aos', env: 'prod', tier: 'x', 'default/payments.project': 'pay' }), ['pay-prod', 'aos-prod-x']);
});

test('a --set no blueprint takes is an error naming the flag: a scope naming no blueprint, a plain name none declares, a scoped name that blueprint does not declare', () => {
  assert.throws(() => roleNames({ project: 'aos', env: 'prod', tier: 'x', 'payment.env': 'dev' }), (error: unknown) => {
    assert.ok(error instanceof ManifestError);
    assert.equal(error.message, '--set payment.env: no RoleBlueprint named "payment" is in the files (they hold payments, billing.v2); --set NAME=VALUE sets every blueprint\'s NAME');
    return true;
  });
  assert.throws(() => roleNames({ project: 'aos', env: 'prod', tier: 'x', region: 'eu' }), /^ManifestError: --set region: no RoleBlueprint of the files declares a parameter "region"$/);
  assert.throws(() => roleNames({ project: 'aos', env: 'prod', tier: 'x', 'payments.tier': 'y' }), /bp\.yaml \(document 1\): RoleBlueprint default\/payments: --set tier: the blueprint declares no parameter "tier"/);
});

test('one blueprint alone keeps its message for an undeclared --set', () => {
  assert.throws(() => renderBlueprintDocument(FILES[0]!, { project: 'a', env: 'b', tier: 'c' }), /RoleBlueprint default\/payments: --set tier: the blueprint declares no parameter "tier" \(it declares project, env\)/);
});
