/**
 * The EKS operations the association reconciler uses, called through the AWS SDK and recorded one by one
 * like the IAM calls (recording-client.ts), so a run reports every call and how many wrote.
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
import { RecordingClient, type CommandInput, type CommandOutput } from './recording-client.js';

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
export type EksInput<Op extends EksOperation> = CommandInput<Commands[Op]>;
export type EksOutput<Op extends EksOperation> = CommandOutput<Commands[Op]>;

const READS: ReadonlySet<EksOperation> = new Set(['ListClusters', 'ListPodIdentityAssociations', 'DescribePodIdentityAssociation']);

/** Calls EKS and records each call (also when it fails); one recorder per reconcile or scan. */
export class RecordingEks extends RecordingClient<Commands, EKSClient> {
  constructor(client: EKSClient) {
    super(client, COMMANDS, READS);
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
