import { UsageError } from './errors.ts';

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
    if (kind === undefined) throw new UsageError(`unknown flag --${name}; see --help`);
    if (kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
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
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a whole number of at least 1`);
  return number;
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration as PostgreSQL writes them (`500ms`, `2s`, `1min`, `1h`; a bare number is
 * milliseconds). Anything else is a usage error naming `what` (the flag or variable).
 */
export function parseDuration(text: string, what: string): number {
  const match = /^\s*(\d+)\s*(ms|s|min|h)?\s*$/.exec(text);
  if (!match) throw new UsageError(`${what} must be a duration such as 500ms, 2s or 1min, got '${text}'`);
  return Number(match[1]) * UNITS_MS[match[2] ?? 'ms']!;
}
