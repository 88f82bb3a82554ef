/**
 * EKS resource tags (API_TagResource.html, API_UntagResource.html, API_ListTagsForResource.html) on
 * clusters and pod identity associations, addressed by ARN. These three answer BadRequestException and
 * NotFoundException rather than the cluster operations' InvalidParameter/ResourceNotFound.
 */
import type { OperationContext } from '../iam/operation.js';
import { requestTagContext, resourceTagContext, tagKeysContext } from '../iam/tags.js';
import type { EksCluster, PodIdentityAssociationRecord } from '../model/eks-entities.js';
import type { ContextValue } from '../policy/types.js';
import type { StoreReader } from '../store/types.js';
import { parseEksArn, type ParsedEksArn } from './arns.js';
import { checkTagKeys, findCluster, tagList } from './clusters.js';
import { badRequest, notFound } from './errors.js';
import { defineEksOperation } from './operation.js';

/** EKS's quota of tags per resource. */
const MAX_TAGS = 50;

type Tagged = { kind: 'eksCluster'; record: EksCluster; key: string } | { kind: 'podIdentityAssociation'; record: PodIdentityAssociationRecord; key: string };

function parseResourceArn(context: OperationContext, arn: string): ParsedEksArn {
  const parsed = parseEksArn(arn);
  if (!parsed) throw badRequest(`${arn} is not a valid resource ARN of a cluster or pod identity association.`);
  return parsed;
}

/** The tagged resource in the caller's account and region, or undefined. */
async function findTagged(reader: StoreReader, context: OperationContext, parsed: ParsedEksArn): Promise<Tagged | undefined> {
  if (parsed.account !== context.accountId || parsed.region !== context.region) return undefined;
  const cluster = await findCluster(reader, context, parsed.clusterName);
  if (!cluster) return undefined;
  if (parsed.type === 'cluster') return { kind: 'eksCluster', record: cluster, key: cluster.name };
  const key = `${cluster.name}/${parsed.associationId}`;
  const association = await reader.get<PodIdentityAssociationRecord>('podIdentityAssociation', context.accountId, key);
  return association ? { kind: 'podIdentityAssociation', record: association, key } : undefined;
}

async function requireTagged(reader: StoreReader, context: OperationContext, arn: string): Promise<Tagged> {
  const tagged = await findTagged(reader, context, parseResourceArn(context, arn));
  if (!tagged) throw notFound(`Resource ${arn} was not found.`);
  return tagged;
}

async function resourceTags(context: OperationContext, arn: string): Promise<Record<string, ContextValue>> {
  const parsed = parseEksArn(arn);
  const tagged = parsed ? await context.store.read((reader) => findTagged(reader, context, parsed)) : undefined;
  return resourceTagContext(tagList(tagged?.record.tags));
}

export const tagResource = defineEksOperation<{ resourceArn: string; tags: Record<string, string> }, Record<string, never>>({
  service: 'eks',
  name: 'TagResource',
  async authorize(context, input) {
    parseResourceArn(context, input.resourceArn);
    return [{ action: 'eks:TagResource', resource: input.resourceArn, context: { ...(await resourceTags(context, input.resourceArn)), ...requestTagContext(tagList(input.tags)) } }];
  },
  async execute(context, input) {
    checkTagKeys(input.tags, badRequest);
    await context.store.write(async (tx) => {
      const tagged = await requireTagged(tx, context, input.resourceArn);
      const tags = { ...tagged.record.tags, ...input.tags };
      if (Object.keys(tags).length > MAX_TAGS) throw badRequest(`A resource may have at most ${MAX_TAGS} tags.`);
      await tx.put(tagged.kind, context.accountId, tagged.key, { ...tagged.record, tags });
    });
    return {};
  },
});

export const untagResource = defineEksOperation<{ resourceArn: string; tagKeys: string[] }, Record<string, never>>({
  service: 'eks',
  name: 'UntagResource',
  async authorize(context, input) {
    parseResourceArn(context, input.resourceArn);
    return [{ action: 'eks:UntagResource', resource: input.resourceArn, context: { ...(await resourceTags(context, input.resourceArn)), ...tagKeysContext(input.tagKeys) } }];
  },
  async execute(context, input) {
    await context.store.write(async (tx) => {
      const tagged = await requireTagged(tx, context, input.resourceArn);
      const tags = Object.fromEntries(Object.entries(tagged.record.tags).filter(([key]) => !input.tagKeys.includes(key)));
      await tx.put(tagged.kind, context.accountId, tagged.key, { ...tagged.record, tags });
    });
    return {};
  },
});

export const listTagsForResource = defineEksOperation<{ resourceArn: string }, { tags: Record<string, string> }>({
  service: 'eks',
  name: 'ListTagsForResource',
  async authorize(context, input) {
    parseResourceArn(context, input.resourceArn);
    return [{ action: 'eks:ListTagsForResource', resource: input.resourceArn, context: await resourceTags(context, input.resourceArn) }];
  },
  async execute(context, input) {
    const tagged = await context.store.read((reader) => requireTagged(reader, context, input.resourceArn));
    return { tags: { ...tagged.record.tags } };
  },
});
