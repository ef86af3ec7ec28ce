/**
 * `npm run client:generate` — rewrites the TypeScript client's types (clients/typescript/openapi.d.ts) from
 * the API's OpenAPI document. Run it after changing an API schema; a unit test fails while they differ.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLIENT_TYPES_FILE, generateClientTypes } from '@/scripts/lib/client-types';

generateClientTypes().then(
  async (text) => {
    await writeFile(path.join(process.cwd(), CLIENT_TYPES_FILE), text);
    console.log(`• wrote ${CLIENT_TYPES_FILE} (${Math.round(text.length / 1024)} KiB)`);
  },
  (error: unknown) => {
    console.error(`• client types failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
