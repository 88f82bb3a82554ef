// Organizational units and the tree (API_CreateOrganizationalUnit.html, API_DescribeOrganizationalUnit.html,
// API_UpdateOrganizationalUnit.html, API_DeleteOrganizationalUnit.html, API_ListOrganizationalUnitsForParent.html,
// API_ListParents.html, API_ListChildren.html; orgs_reference_limits.html: OUs nest five deep).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachedIds, call, createAccount, createUnit, MANAGEMENT, newOrganization, rejects } from './fixtures.js';

test('CreateOrganizationalUnit: ou-<root>-<8> ids, ARN, Path, and FullAWSAccess attached', async () => {
  const org = await newOrganization();
  const { OrganizationalUnit } = await call(org.management, 'CreateOrganizationalUnit', { ParentId: org.rootId, Name: 'Workloads' });
  assert.match(OrganizationalUnit.Id, new RegExp(`^ou-${org.rootId.slice(2)}-[a-z0-9]{8}$`));
  assert.equal(OrganizationalUnit.Arn, `arn:aws:organizations::${MANAGEMENT}:ou/${org.organizationId}/${OrganizationalUnit.Id}`);
  assert.equal(OrganizationalUnit.Name, 'Workloads');
  assert.equal(OrganizationalUnit.Path, `${org.organizationId}/${org.rootId}/${OrganizationalUnit.Id}/`);
  assert.deepEqual(await attachedIds(org, OrganizationalUnit.Id), ['p-FullAWSAccess']);
  const { OrganizationalUnit: described } = await call(org.management, 'DescribeOrganizationalUnit', { OrganizationalUnitId: OrganizationalUnit.Id });
  assert.deepEqual(described, OrganizationalUnit);
});

test('CreateOrganizationalUnit: names are unique per parent; the parent must exist', async () => {
  const org = await newOrganization();
  const prod = await createUnit(org, 'Prod');
  await rejects(createUnit(org, 'Prod'), 'DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
  await createUnit(org, 'Prod', prod);
  await rejects(createUnit(org, 'X', 'ou-zzzz-zzzzzzzz'), 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
  // An account id is no ParentId at all: the model's pattern refuses it before any lookup (API_InvalidInputException.html).
  await rejects(createUnit(org, 'X', MANAGEMENT), 'InvalidInputException', 'You provided a value that does not match the required pattern.', 'INVALID_PATTERN');
});

test('OUs nest at most five levels under the root (OU_DEPTH_LIMIT_EXCEEDED)', async () => {
  const org = await newOrganization();
  let parent = org.rootId;
  for (let level = 1; level <= 5; level++) parent = await createUnit(org, `level${level}`, parent);
  const deepest = await call(org.management, 'DescribeOrganizationalUnit', { OrganizationalUnitId: parent });
  assert.equal(deepest.OrganizationalUnit.Path.split('/').filter((part: string) => part.startsWith('ou-')).length, 5);
  await rejects(
    createUnit(org, 'level6', parent),
    'ConstraintViolationException',
    'You attempted to create an OU tree that is too many levels deep.',
    'OU_DEPTH_LIMIT_EXCEEDED',
  );
});

test('UpdateOrganizationalUnit renames; unknown OUs are OrganizationalUnitNotFoundException', async () => {
  const org = await newOrganization();
  const unit = await createUnit(org, 'Old');
  await createUnit(org, 'Taken');
  const { OrganizationalUnit } = await call(org.management, 'UpdateOrganizationalUnit', { OrganizationalUnitId: unit, Name: 'New' });
  assert.equal(OrganizationalUnit.Name, 'New');
  await rejects(
    call(org.management, 'UpdateOrganizationalUnit', { OrganizationalUnitId: unit, Name: 'Taken' }),
    'DuplicateOrganizationalUnitException',
    'An OU with the same name already exists.',
  );
  for (const name of ['DescribeOrganizationalUnit', 'UpdateOrganizationalUnit', 'DeleteOrganizationalUnit']) {
    await rejects(
      call(org.management, name, { OrganizationalUnitId: 'ou-zzzz-zzzzzzzz', Name: 'x' }),
      'OrganizationalUnitNotFoundException',
      "We can't find an OU with the OrganizationalUnitId that you specified.",
    );
  }
});

test('ListOrganizationalUnitsForParent, ListChildren and ListParents walk the tree', async () => {
  const org = await newOrganization();
  const prod = await createUnit(org, 'Prod');
  const dev = await createUnit(org, 'Dev');
  const team = await createUnit(org, 'Team', prod);
  const account = await createAccount(org, 'app');
  await call(org.management, 'MoveAccount', { AccountId: account, SourceParentId: org.rootId, DestinationParentId: team });

  const top = await call(org.management, 'ListOrganizationalUnitsForParent', { ParentId: org.rootId });
  assert.deepEqual(top.OrganizationalUnits.map((ou: { Id: string }) => ou.Id), [dev, prod].sort());
  const underProd = await call(org.management, 'ListOrganizationalUnitsForParent', { ParentId: prod });
  assert.deepEqual(underProd.OrganizationalUnits, [
    { Id: team, Arn: `arn:aws:organizations::${MANAGEMENT}:ou/${org.organizationId}/${team}`, Name: 'Team', Path: `${org.organizationId}/${org.rootId}/${prod}/${team}/` },
  ]);
  assert.deepEqual((await call(org.management, 'ListChildren', { ParentId: team, ChildType: 'ACCOUNT' })).Children, [{ Id: account, Type: 'ACCOUNT' }]);
  assert.deepEqual((await call(org.management, 'ListChildren', { ParentId: prod, ChildType: 'ORGANIZATIONAL_UNIT' })).Children, [{ Id: team, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await call(org.management, 'ListChildren', { ParentId: org.rootId, ChildType: 'ACCOUNT' })).Children, [{ Id: MANAGEMENT, Type: 'ACCOUNT' }]);
  assert.deepEqual((await call(org.management, 'ListParents', { ChildId: team })).Parents, [{ Id: prod, Type: 'ORGANIZATIONAL_UNIT' }]);
  assert.deepEqual((await call(org.management, 'ListParents', { ChildId: prod })).Parents, [{ Id: org.rootId, Type: 'ROOT' }]);
  assert.deepEqual((await call(org.management, 'ListParents', { ChildId: MANAGEMENT })).Parents, [{ Id: org.rootId, Type: 'ROOT' }]);
  await rejects(
    call(org.management, 'ListParents', { ChildId: '111111111111' }),
    'ChildNotFoundException',
    "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
  );
  await rejects(call(org.management, 'ListChildren', { ParentId: 'ou-zzzz-zzzzzzzz', ChildType: 'ACCOUNT' }), 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
});

test('DeleteOrganizationalUnit: only an empty OU', async () => {
  const org = await newOrganization();
  const prod = await createUnit(org, 'Prod');
  const team = await createUnit(org, 'Team', prod);
  const notEmpty = [
    'OrganizationalUnitNotEmptyException',
    'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.',
  ] as const;
  await rejects(call(org.management, 'DeleteOrganizationalUnit', { OrganizationalUnitId: prod }), ...notEmpty);
  const account = await createAccount(org, 'app');
  await call(org.management, 'MoveAccount', { AccountId: account, SourceParentId: org.rootId, DestinationParentId: team });
  await rejects(call(org.management, 'DeleteOrganizationalUnit', { OrganizationalUnitId: team }), ...notEmpty);
  await call(org.management, 'MoveAccount', { AccountId: account, SourceParentId: team, DestinationParentId: org.rootId });
  assert.deepEqual(await call(org.management, 'DeleteOrganizationalUnit', { OrganizationalUnitId: team }), {});
  assert.deepEqual(await call(org.management, 'DeleteOrganizationalUnit', { OrganizationalUnitId: prod }), {});
  assert.deepEqual((await call(org.management, 'ListOrganizationalUnitsForParent', { ParentId: org.rootId })).OrganizationalUnits, []);
});
