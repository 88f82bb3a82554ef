/**
 * The EKS operations the association reconciler uses, called through the AWS SDK and recorded one by one
 * like the IAM calls (iam-calls.ts), so a run reports every call and how many wrote.
 */
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  ListClustersCommand,
  ListPodIdentityAssociationsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePodIdentityAssociationCommand,
  type EKSClient,
} from '@aws-sdk/client-eks';
import type { CommandImpl } from '@smithy/core/client';
import { failureOf, type ApiCall } from './iam-calls.js';

const COMMANDS = {
  ListClusters: ListClustersCommand,
  ListPodIdentityAssociations: ListPodIdentityAssociationsCommand,
  DescribePodIdentityAssociation: DescribePodIdentityAssociationCommand,
  CreatePodIdentityAssociation: CreatePodIdentityAssociationCommand,
  UpdatePodIdentityAssociation: UpdatePodIdentityAssociationCommand,
  DeletePodIdentityAssociation: DeletePodIdentityAssociationCommand,
  TagResource: TagResourceCommand,
  UntagResource: UntagResourceCommand,
} as const;

type Commands = typeof COMMANDS;
export type EksOperation = keyof Commands;
export type EksInput<Op extends EksOperation> = ConstructorParameters<Commands[Op]>[0];
export type EksOutput<Op extends EksOperation> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the output type is inferred
  InstanceType<Commands[Op]> extends CommandImpl<any, infer Output, any, any, any> ? Output : never;

const READS: ReadonlySet<EksOperation> = new Set(['ListClusters', 'ListPodIdentityAssociations', 'DescribePodIdentityAssociation']);

/** Calls EKS and records each call (also when it fails); one recorder per reconcile or scan. */
export class RecordingEks {
  readonly calls: ApiCall[] = [];

  constructor(readonly client: EKSClient) {}

  async call<Op extends EksOperation>(operation: Op, input: EksInput<Op>): Promise<EksOutput<Op>> {
    const record: ApiCall = { operation, write: !READS.has(operation) };
    this.calls.push(record);
    const Command = COMMANDS[operation] as unknown as new (input: EksInput<Op>) => Parameters<EKSClient['send']>[0];
    try {
      return (await this.client.send(new Command(input))) as EksOutput<Op>;
    } catch (error) {
      record.error = failureOf(error).code;
      throw error;
    }
  }
}

/** Every item of a paginated EKS listing (nextToken, null at the end). */
export async function allEksPages<Page extends { nextToken?: string | undefined }, Item>(
  fetch: (token: { nextToken?: string }) => Promise<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetch(nextToken ? { nextToken } : {});
    all.push(...(items(page) ?? []));
    nextToken = page.nextToken ?? undefined;
  } while (nextToken);
  return all;
}
