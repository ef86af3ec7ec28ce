import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['{lib,app,components,scripts,simulator,workloads,clients}/**/*.test.{ts,tsx}'],
    environment: 'node',
    globalSetup: ['./lib/testing/postgres-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: one fork per core keeps PGlite instances from starving each other.
    maxWorkers: 2,
  },
});
