import { EXIT, UserError } from '../errors.ts';

/** Flags a command accepts: a boolean switch, or a flag that takes a value. */
export type FlagSpec = Record<string, 'boolean' | 'string'>;

export interface ParsedArgs<S extends FlagSpec> {
  flags: { [K in keyof S]?: S[K] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/**
 * Parses `--flag`, `--flag value` and `--flag=value`. An unknown flag, or a value flag without
 * a value, is a usage error (exit code 2) naming the flag.
 */
export function parseArgs<S extends FlagSpec>(args: string[], spec: S): ParsedArgs<S> {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = splitOnce(arg.slice(2), '=');
    const kind = spec[name];
    if (kind === undefined) throw new UserError(`unknown flag --${name}; see --help`, EXIT.USAGE);
    if (kind === 'boolean') {
      if (inline !== undefined) throw new UserError(`--${name} takes no value`, EXIT.USAGE);
      flags[name] = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UserError(`--${name} needs a value`, EXIT.USAGE);
    }
    flags[name] = value;
  }
  return { flags, positionals } as ParsedArgs<S>;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The value of a flag that takes a whole number of at least 1; undefined when the flag is absent. */
export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UserError(`${flag} must be a whole number of at least 1`, EXIT.USAGE);
  return number;
}
