/** @jest-config-loader esbuild-register */
// Jest runs the suite as native ES modules (see the `test` script: --experimental-vm-modules).
import os from 'node:os';
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    // tsconfig's isolatedModules makes ts-jest transpile file by file; `npm run typecheck` checks types.
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
  },
  globalSetup: '<rootDir>/tests/harness/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/harness/global-teardown.mjs',
  setupFilesAfterEnv: ['<rootDir>/tests/harness/after-env.ts'],
  // One worker per core. Measured on a 2-core machine, 2026-12-01, whole suite: 2 workers 79 s
  // idle and 138 s with two busy-looping processes beside it, 3 workers 89 s and 134 s: a third
  // worker buys nothing once the expensive tests stopped waiting on process start-ups, and more
  // workers than cores only add to the load a slow machine already has.
  maxWorkers: os.availableParallelism(),
  // Database tests wait on real servers; CI machines are slow and noisy.
  testTimeout: 60_000,
};

export default config;
