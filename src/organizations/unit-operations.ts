/**
 * Organizational units and the tree: CreateOrganizationalUnit, DescribeOrganizationalUnit,
 * UpdateOrganizationalUnit, DeleteOrganizationalUnit, ListOrganizationalUnitsForParent, ListParents and
 * ListChildren (AWS Organizations API Reference). OUs nest at most five deep under the root and number at
 * most 1,000 per organization (orgs_reference_limits.html).
 */
import type { Tag } from '../model/entities.js';
import { defineOrganizationsOperation } from './operation.js';
import { requestTagContext } from '../iam/tags.js';
import type { StoreReader } from '../store/types.js';
import { organizationalUnitArn, scopeOf } from './arns.js';
import { authorizeOn } from './authorization.js';
import {
  childNotFound, constraintViolation, duplicateOrganizationalUnit, organizationalUnitNotEmpty, organizationalUnitNotFound,
  parentNotFound,
} from './errors.js';
import { newOrganizationalUnitId } from './ids.js';
import { tagsToStore } from './tags.js';
import { organizationalUnitOutput } from './outputs.js';
import { byId, paginate, type PageRequest } from './pagination.js';
import { defaultPolicyIds } from './policy-types.js';
import {
  getOrganizationalUnit, listMembers, listOrganizationalUnits, saveOrganizationalUnit,
  type OrganizationalUnitRecord, type OrganizationRecord,
} from './records.js';
import { findNode, findParent, organizationalUnitChain, pathOf, requireManagement } from './scope.js';

export const MAX_OU_DEPTH = 5;
export const MAX_OUS_PER_ORGANIZATION = 1000;

type UnitView = ReturnType<typeof organizationalUnitOutput>;

async function unitView(reader: StoreReader, organization: OrganizationRecord, ou: OrganizationalUnitRecord): Promise<UnitView> {
  const chain = await organizationalUnitChain(reader, organization.Id, ou.ParentId);
  return organizationalUnitOutput(ou, pathOf(organization, chain, ou.Id));
}

async function requireUnit(reader: StoreReader, organization: OrganizationRecord, ouId: string): Promise<OrganizationalUnitRecord> {
  const ou = await getOrganizationalUnit(reader, organization.Id, ouId);
  if (!ou) throw organizationalUnitNotFound();
  return ou;
}

interface CreateUnitInput {
  ParentId: string;
  Name: string;
  Tags?: Tag[];
}

export const createOrganizationalUnit = defineOrganizationsOperation<CreateUnitInput, { OrganizationalUnit: UnitView }>({
  name: 'CreateOrganizationalUnit',
  authorize: authorizeOn<CreateUnitInput>('CreateOrganizationalUnit', (input) => input.ParentId, (input) => requestTagContext(input.Tags)),
  async execute(context, input) {
    const tags = tagsToStore(input.Tags);
    const view = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      if (!(await findParent(writer, organization, input.ParentId))) throw parentNotFound();
      const units = await listOrganizationalUnits(writer, organization.Id);
      if (units.some((ou) => ou.ParentId === input.ParentId && ou.Name === input.Name)) throw duplicateOrganizationalUnit();
      if (units.length >= MAX_OUS_PER_ORGANIZATION) throw constraintViolation('OU_NUMBER_LIMIT_EXCEEDED');
      const chain = await organizationalUnitChain(writer, organization.Id, input.ParentId);
      if (chain.length >= MAX_OU_DEPTH) throw constraintViolation('OU_DEPTH_LIMIT_EXCEEDED');
      const id = newOrganizationalUnitId(organization.Root.Id);
      const ou: OrganizationalUnitRecord = {
        Id: id,
        Arn: organizationalUnitArn(scopeOf(organization), organization.Id, id),
        Name: input.Name,
        ParentId: input.ParentId,
        PolicyIds: defaultPolicyIds(organization),
        CreateDate: context.now.toISOString(),
        Tags: tags,
      };
      await saveOrganizationalUnit(writer, organization.Id, ou);
      return organizationalUnitOutput(ou, pathOf(organization, chain, id));
    });
    return { OrganizationalUnit: view };
  },
});

export const describeOrganizationalUnit = defineOrganizationsOperation<{ OrganizationalUnitId: string }, { OrganizationalUnit: UnitView }>({
  name: 'DescribeOrganizationalUnit',
  authorize: authorizeOn<{ OrganizationalUnitId: string }>('DescribeOrganizationalUnit', (input) => input.OrganizationalUnitId),
  async execute(context, input) {
    const view = await context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      return unitView(reader, organization, await requireUnit(reader, organization, input.OrganizationalUnitId));
    });
    return { OrganizationalUnit: view };
  },
});

export const updateOrganizationalUnit = defineOrganizationsOperation<{ OrganizationalUnitId: string; Name?: string }, { OrganizationalUnit: UnitView }>({
  name: 'UpdateOrganizationalUnit',
  authorize: authorizeOn<{ OrganizationalUnitId: string }>('UpdateOrganizationalUnit', (input) => input.OrganizationalUnitId),
  async execute(context, input) {
    const view = await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const ou = await requireUnit(writer, organization, input.OrganizationalUnitId);
      if (input.Name !== undefined && input.Name !== ou.Name) {
        const siblings = (await listOrganizationalUnits(writer, organization.Id)).filter((other) => other.ParentId === ou.ParentId);
        if (siblings.some((other) => other.Name === input.Name)) throw duplicateOrganizationalUnit();
        ou.Name = input.Name;
        await saveOrganizationalUnit(writer, organization.Id, ou);
      }
      return unitView(writer, organization, ou);
    });
    return { OrganizationalUnit: view };
  },
});

/** DeleteOrganizationalUnit: only an empty OU; its policy attachments go with it. */
export const deleteOrganizationalUnit = defineOrganizationsOperation<{ OrganizationalUnitId: string }, Record<string, never>>({
  name: 'DeleteOrganizationalUnit',
  authorize: authorizeOn<{ OrganizationalUnitId: string }>('DeleteOrganizationalUnit', (input) => input.OrganizationalUnitId),
  async execute(context, input) {
    await context.store.write(async (writer) => {
      const organization = await requireManagement(writer, context.accountId);
      const ou = await requireUnit(writer, organization, input.OrganizationalUnitId);
      const hasUnits = (await listOrganizationalUnits(writer, organization.Id)).some((other) => other.ParentId === ou.Id);
      const hasAccounts = (await listMembers(writer, organization.Id)).some((member) => member.ParentId === ou.Id);
      if (hasUnits || hasAccounts) throw organizationalUnitNotEmpty();
      await writer.delete('organizationalUnit', organization.Id, ou.Id);
    });
    return {};
  },
});

export const listOrganizationalUnitsForParent = defineOrganizationsOperation<{ ParentId: string } & PageRequest, { OrganizationalUnits: UnitView[]; NextToken?: string }>({
  name: 'ListOrganizationalUnitsForParent',
  authorize: authorizeOn<{ ParentId: string }>('ListOrganizationalUnitsForParent', (input) => input.ParentId),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      if (!(await findParent(reader, organization, input.ParentId))) throw parentNotFound();
      const children = (await listOrganizationalUnits(reader, organization.Id)).filter((ou) => ou.ParentId === input.ParentId);
      const page = paginate(byId(children), (ou) => ou.Id, input);
      const chain = await organizationalUnitChain(reader, organization.Id, input.ParentId);
      const units = page.items.map((ou) => organizationalUnitOutput(ou, pathOf(organization, chain, ou.Id)));
      return { OrganizationalUnits: units, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

type Parent = { Id: string; Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' };

/** ListParents: the one root or OU directly above an account or OU. */
export const listParents = defineOrganizationsOperation<{ ChildId: string } & PageRequest, { Parents: Parent[]; NextToken?: string }>({
  name: 'ListParents',
  authorize: authorizeOn<{ ChildId: string }>('ListParents', (input) => input.ChildId),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const child = await findNode(reader, organization, input.ChildId);
      if (!child || child.kind === 'root') throw childNotFound();
      const parentId = child.kind === 'account' ? child.member.ParentId : child.ou.ParentId;
      const parent: Parent = { Id: parentId, Type: parentId === organization.Root.Id ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
      const page = paginate([parent], (item) => item.Id, input);
      return { Parents: page.items, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

type Child = { Id: string; Type: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' };

export const listChildren = defineOrganizationsOperation<{ ParentId: string; ChildType: Child['Type'] } & PageRequest, { Children: Child[]; NextToken?: string }>({
  name: 'ListChildren',
  authorize: authorizeOn<{ ParentId: string }>('ListChildren', (input) => input.ParentId),
  async execute(context, input) {
    return context.store.read(async (reader) => {
      const organization = await requireManagement(reader, context.accountId);
      const parent = await findParent(reader, organization, input.ParentId);
      if (!parent) throw parentNotFound();
      const candidates = input.ChildType === 'ACCOUNT' ? await listMembers(reader, organization.Id) : await listOrganizationalUnits(reader, organization.Id);
      const children = byId(candidates.filter((child) => child.ParentId === parent.id));
      const page = paginate(children, (child) => child.Id, input);
      return { Children: page.items.map((child) => ({ Id: child.Id, Type: input.ChildType })), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
    });
  },
});

export const UNIT_OPERATIONS = [
  createOrganizationalUnit, describeOrganizationalUnit, updateOrganizationalUnit, deleteOrganizationalUnit, listOrganizationalUnitsForParent,
  listParents, listChildren,
];
