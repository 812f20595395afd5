import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../../src/cli/args.ts';
import { EXIT, UserError } from '../../src/errors.ts';

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
    let caught: unknown;
    try {
      parseArgs(args, spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect(caught).toMatchObject({ message, exitCode: EXIT.USAGE });
  });
});
