import { describe, expect, it } from '@jest/globals';
import { parseArgs, parseDuration } from '../../src/cli/args.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { thrownBy } from '../harness/thrown.ts';

const spec = { 'dry-run': 'boolean', steps: 'string' } as const;

describe('parseArgs', () => {
  it('reads switches, values in both spellings, and positionals', () => {
    expect(parseArgs(['--dry-run', '--steps', '2', 'name'], spec)).toEqual({
      flags: { 'dry-run': true, steps: '2' },
      positionals: ['name'],
    });
    expect(parseArgs(['--steps=3'], spec).flags.steps).toBe('3');
  });

  it.each([
    [['--verbose'], 'unknown flag --verbose; see --help'],
    [['--steps'], '--steps needs a value'],
    [['--steps', '--dry-run'], '--steps needs a value'],
    [['--dry-run=yes'], '--dry-run takes no value'],
  ])('rejects %j as a usage error', (args, message) => {
    const caught = thrownBy(() => parseArgs(args, spec));
    expect(caught).toBeInstanceOf(UsageError);
    expect(caught).toMatchObject({ message });
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2_000],
    ['1min', 60_000],
    ['1h', 3_600_000],
    ['250', 250],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text, '--lock-timeout')).toBe(ms);
  });

  it('refuses anything else as a usage error naming the flag', () => {
    expect(() => parseDuration('soon', '--lock-timeout')).toThrow(UsageError);
    expect(() => parseDuration('2 days', '--lock-timeout')).toThrow(
      "--lock-timeout must be a duration such as 500ms, 2s or 1min, got '2 days'",
    );
  });
});
