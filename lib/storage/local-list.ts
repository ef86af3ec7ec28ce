import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isObjectKey } from '@/lib/storage/keys';

export interface TreeEntry {
  key: string;
  stats: Stats;
}

/** One entry of a directory, with the string it contributes to the keys below it. */
interface Step {
  /** A file's key segment, or a directory's segment followed by `/`. */
  sortName: string;
  /** The directory or file name on disk. */
  name: string;
  isDirectory: boolean;
}

async function readSteps(dir: string, suffix: string): Promise<Step[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A directory removed while we walk is simply empty.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const steps: Step[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && isObjectKey(entry.name)) {
      steps.push({ sortName: `${entry.name}/`, name: entry.name, isDirectory: true });
    } else if (entry.isFile() && entry.name.endsWith(suffix)) {
      const segment = entry.name.slice(0, -suffix.length);
      // Temporary files (".tmp-…") and anything else that is not an object are skipped.
      if (isObjectKey(segment)) steps.push({ sortName: segment, name: entry.name, isDirectory: false });
    }
  }
  // Byte order of the keys: a directory sorts as "name/", so "a/b" < "a/b-x" < "a/b/c" < "a/b0", as in S3.
  return steps.sort((a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0));
}

/**
 * The objects under `base` whose keys start with `prefix` and sort after `startAfter`, in key order, as a
 * depth-first walk that never reads a directory whose keys all sort before `startAfter`. Object files are
 * named `<last segment><suffix>`; directories are key segments.
 */
export async function* listTree(
  base: string,
  suffix: string,
  prefix: string,
  startAfter: string | undefined,
): AsyncGenerator<TreeEntry> {
  // Start in the directory of the prefix's whole segments; its last, partial segment filters that level.
  const slash = prefix.lastIndexOf('/');
  const dirKey = prefix.slice(0, slash + 1);
  const partial = prefix.slice(slash + 1);
  yield* walk(path.join(base, dirKey), dirKey, partial);

  async function* walk(dir: string, keyPrefix: string, namePrefix: string): AsyncGenerator<TreeEntry> {
    for (const step of await readSteps(dir, suffix)) {
      if (!step.sortName.startsWith(namePrefix)) continue;
      const key = keyPrefix + step.sortName;
      if (step.isDirectory) {
        // Every key below starts with `key` ("…/"): skip the subtree when startAfter is past all of them.
        if (startAfter !== undefined && startAfter > key && !startAfter.startsWith(key)) continue;
        yield* walk(path.join(dir, step.name), key, '');
      } else {
        if (startAfter !== undefined && key <= startAfter) continue;
        let stats: Stats;
        try {
          stats = await stat(path.join(dir, step.name));
        } catch {
          continue; // deleted meanwhile
        }
        yield { key, stats };
      }
    }
  }
}
