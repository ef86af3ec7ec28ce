/**
 * `npm run seed` — migrate and create the deterministic demo network (DEMO_SEED, DEMO_NODES) if the
 * database is empty. `npm run seed -- --reset` removes the demo network first and regenerates it.
 */
import { prepareDatabase } from '@/scripts/lib/prepare-database';

const reset = process.argv.includes('--reset');
prepareDatabase({ seed: true, reset }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
