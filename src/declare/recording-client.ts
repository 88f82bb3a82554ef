/**
 * An AWS SDK client that records every call it sends (operation, role, error code), so a reconcile or a
 * scan can report exactly which calls it made and how many wrote — a second apply must write none. One
 * recorder per reconcile, so each object's calls are its own. The IAM and EKS recorders (iam-calls.ts,
 * eks-calls.ts) are this class over their services' command tables.
 */
import type { CommandImpl } from '@smithy/core/client';

/** One call as made: the operation, the role it concerned, and AWS's error code when it failed. */
export interface ApiCall {
  operation: string;
  write: boolean;
  roleName?: string;
  error?: string;
}

/** An AWS error as the reconciler reports it: the code (reason) and AWS's message. */
export interface CallFailure {
  code: string;
  message: string;
}

/**
 * The AWS error code and message of a failed call. The SDK names modeled errors by class
 * (NoSuchEntityException) and keeps the wire code (NoSuchEntity) in `Code`; network failures and other
 * client-side errors get the code RequestFailed.
 */
export function failureOf(error: unknown): CallFailure {
  if (error instanceof Error) {
    const code = (error as { Code?: unknown }).Code;
    if (typeof code === 'string' && code !== '') return { code, message: error.message };
    const fromAws = '$metadata' in error || '$fault' in error;
    return { code: fromAws && error.name !== 'Error' ? error.name : 'RequestFailed', message: error.message };
  }
  return { code: 'RequestFailed', message: String(error) };
}

/** A service's SDK command classes by operation name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK command class
export type CommandTable = Record<string, new (...args: any[]) => unknown>;

/** The input of an operation's command. */
export type CommandInput<Command extends CommandTable[string]> = ConstructorParameters<Command>[0];

/** The output of an operation's command, as the SDK's client returns it. */
export type CommandOutput<Command extends CommandTable[string]> = Command extends new (...args: never[]) => infer Instance
  ? // eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the output type is inferred
    Instance extends CommandImpl<any, infer Output, any, any, any>
    ? Output
    : never
  : never;

/** The one method of an SDK client the recorder uses. */
interface CommandSender {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each SDK client types its own commands
  send(command: any): Promise<unknown>;
}

/** Sends operations of one service through its SDK client and records each (also when it fails). */
export class RecordingClient<Commands extends CommandTable, Client extends CommandSender> {
  readonly calls: ApiCall[] = [];

  constructor(
    readonly client: Client,
    private readonly commands: Commands,
    /** The operations that change nothing; every other operation counts as a write. */
    private readonly reads: ReadonlySet<keyof Commands>,
  ) {}

  /** Sends one operation and records it. */
  async call<Op extends keyof Commands & string>(operation: Op, input: CommandInput<Commands[Op]>): Promise<CommandOutput<Commands[Op]>> {
    const record: ApiCall = { operation, write: !this.reads.has(operation) };
    const roleName = (input as { RoleName?: unknown }).RoleName;
    if (typeof roleName === 'string') record.roleName = roleName;
    this.calls.push(record);
    try {
      return (await this.client.send(new this.commands[operation]!(input))) as CommandOutput<Commands[Op]>;
    } catch (error) {
      record.error = failureOf(error).code;
      throw error;
    }
  }

  /** Number of calls that changed state. */
  writes(): number {
    return this.calls.filter((call) => call.write).length;
  }
}
