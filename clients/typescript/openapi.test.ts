import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, generateClientTypes } from '@/scripts/lib/client-types';

it('the TypeScript client is generated from the current OpenAPI document (npm run client:generate)', async () => {
  const committed = readFileSync(path.join(process.cwd(), CLIENT_TYPES_FILE), 'utf8');
  expect(committed === (await generateClientTypes()), 'stale: run npm run client:generate').toBe(true);
});
