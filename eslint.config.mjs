import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'Import through the @/ alias instead of parent paths.' }] },
      ],
    },
  },
  {
    // The core never imports the simulator (simulator/: the demo fleet, demand and history). The simulator is
    // a client of the product — domain functions, the agent protocol, the API — wired in only by the entry
    // points (scripts/) and the composition root (instrumentation.ts). Tests may use it as a fixture.
    files: ['lib/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', 'lib/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*'], message: 'Import through the @/ alias instead of parent paths.' },
            {
              group: ['@/simulator', '@/simulator/*'],
              message:
                'The core must not import the simulator; wire it in from instrumentation.ts or scripts/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Presentational components never reach the database or other server-only modules, nor the simulator.
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/db', '@/lib/db/*', '@/lib/env'],
              message: 'components/ must not import server-only modules.',
            },
            {
              group: ['@/simulator', '@/simulator/*'],
              message: 'The core must not import the simulator.',
            },
          ],
        },
      ],
    },
  },
  globalIgnores([
    '.next*/**',
    'bench-results/**',
    // The bundled agent (npm run build:agent): generated.
    'dist/**',
    'node_modules/**',
    '.data/**',
    'next-env.d.ts',
    'test-results/**',
    'playwright-report/**',
  ]),
]);
