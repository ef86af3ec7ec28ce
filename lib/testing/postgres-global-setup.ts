import type { TestProject } from 'vitest/node';
import { startPostgresServer } from '@/lib/testing/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection string of the real PostgreSQL server the integration tests use. */
    postgresAdminUrl: string;
  }
}

/**
 * Starts one real PostgreSQL server for the whole test run, unless TEST_DATABASE_URL points at one already.
 * Each test file then creates its own database on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresAdminUrl', external);
    return async () => {};
  }
  const server = await startPostgresServer();
  project.provide('postgresAdminUrl', server.url);
  return () => server.stop();
}
