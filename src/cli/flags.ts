/** Minimal `--name value` / `--name=value` / `--switch` parsing for the rolecall commands. */

export interface ParsedFlags {
  values: Record<string, string>;
  /** Flags given in `spec.repeated`, every value in order (`--audience a --audience b`). */
  lists: Record<string, string[]>;
  switches: Set<string>;
  positional: string[];
}

export class UsageError extends Error {}

export function parseFlags(
  args: readonly string[],
  spec: { values: readonly string[]; switches: readonly string[]; repeated?: readonly string[] },
): ParsedFlags {
  const parsed: ParsedFlags = { values: {}, lists: {}, switches: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      parsed.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.switches.includes(name) && eq < 0) parsed.switches.add(name);
    else if (spec.values.includes(name) || spec.repeated?.includes(name)) {
      const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (spec.repeated?.includes(name)) (parsed.lists[name] ??= []).push(value);
      else parsed.values[name] = value;
    } else throw new UsageError(`unknown option --${name}`);
  }
  return parsed;
}
