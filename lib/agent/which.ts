import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The full path of an executable found on PATH (like `which`), or null when there is none. */
export function findExecutable(name: string, pathVar: string | undefined = process.env.PATH): string | null {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
