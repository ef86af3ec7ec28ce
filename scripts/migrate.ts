/** `npm run migrate` — apply the committed migrations to the configured database. */
import { prepareDatabase } from '@/scripts/lib/prepare-database';

prepareDatabase({ seed: false }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
