export { getDb, getDatabase, openDatabase, migrateDatabase, configuredTarget } from '@/lib/db/client';
export type { Db, DatabaseHandle, Engine } from '@/lib/db/client';
