/** `rolecall policy ...`: evaluation and validation from the command line. */
export async function runPolicyCommand(args: string[]): Promise<number> {
  process.stderr.write(`rolecall policy: unknown subcommand '${args[0] ?? ''}'\n`);
  return 2;
}
