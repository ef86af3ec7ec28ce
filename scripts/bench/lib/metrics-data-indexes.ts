import type { SqlSession } from '@/scripts/bench/lib/metrics-sql';

/**
 * Bulk loading as `pg_restore` does it: the largest tables are filled without their indexes and keys, which
 * are then rebuilt from the migration's own definitions (read back from the catalog before they are dropped).
 * Building an index once is several times faster than millions of random inserts into it, and re-adding
 * primary keys, unique constraints and foreign keys validates every row against them. The definitions
 * afterwards must be exactly those before.
 */

interface Definition {
  table: string;
  name: string;
  /** p = primary key, u = unique, f = foreign key, i = plain index. */
  kind: 'p' | 'u' | 'f' | 'i';
  definition: string;
}

export interface DeferredIndexes {
  /** Rebuilds everything that was dropped, keys first, then indexes, then foreign keys. */
  restore(): Promise<{ ms: number; rebuilt: number; foreignKeys: string[] }>;
}

function tableList(tables: readonly string[]): string {
  return `array[${tables.map((t) => `'${t}'`).join(', ')}]::regclass[]`;
}

async function readDefinitions(session: SqlSession, tables: readonly string[]): Promise<Definition[]> {
  const list = tableList(tables);
  const constraints = await session.query<Definition>(
    `select conrelid::regclass::text as "table", conname as name, contype as kind,
       pg_get_constraintdef(oid) as definition
     from pg_constraint
     where (contype in ('p', 'u', 'f') and conrelid = any(${list})) or (contype = 'f' and confrelid = any(${list}))`,
  );
  const indexes = await session.query<Definition>(
    `select i.indrelid::regclass::text as "table", c.relname as name, 'i' as kind, pg_get_indexdef(i.indexrelid) as definition
     from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid = any(${list})
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u'))`,
  );
  return [...constraints, ...indexes].sort((a, b) =>
    `${a.table}.${a.name}`.localeCompare(`${b.table}.${b.name}`),
  );
}

const DROP_ORDER: Definition['kind'][] = ['f', 'i', 'u', 'p'];
const RESTORE_ORDER: Definition['kind'][] = ['p', 'u', 'i', 'f'];

/** Drops the keys and indexes of `tables` (and foreign keys pointing at them) until `restore` is called. */
export async function deferIndexes(session: SqlSession, tables: readonly string[]): Promise<DeferredIndexes> {
  const saved = await readDefinitions(session, tables);
  for (const kind of DROP_ORDER) {
    for (const d of saved.filter((s) => s.kind === kind)) {
      await session.query(
        kind === 'i' ? `drop index ${d.name}` : `alter table ${d.table} drop constraint ${d.name}`,
      );
    }
  }
  return {
    async restore() {
      const started = performance.now();
      for (const kind of RESTORE_ORDER) {
        for (const d of saved.filter((s) => s.kind === kind)) {
          await session.query(
            kind === 'i' ? d.definition : `alter table ${d.table} add constraint ${d.name} ${d.definition}`,
          );
        }
      }
      const after = await readDefinitions(session, tables);
      if (JSON.stringify(after) !== JSON.stringify(saved))
        throw new Error('the rebuilt keys and indexes differ from the migration’s');
      return {
        ms: performance.now() - started,
        rebuilt: saved.length,
        foreignKeys: saved.filter((d) => d.kind === 'f').map((d) => d.name),
      };
    },
  };
}
