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
  // The suites mostly wait on PostgreSQL and child processes, not on the CPU: on a 2-core machine
  // 3 workers ran the suite in 16.5 s against 38.8 s for Jest's default of 1 (2 workers: 26.7 s,
  // 4: 17.1 s, 6: 19.2 s; measured in one run, 2026-11-21).
  maxWorkers: Math.ceil(os.availableParallelism() * 1.5),
  // Database tests wait on real servers; CI machines are slow and noisy.
  testTimeout: 60_000,
};

export default config;
