/** @jest-config-loader esbuild-register */
// Jest runs the suite as native ES modules (see the `test` script: --experimental-vm-modules).
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
  // Database tests wait on real servers; CI machines are slow and noisy.
  testTimeout: 60_000,
};

export default config;
