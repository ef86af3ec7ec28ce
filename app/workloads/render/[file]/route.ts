import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The reference renderer's files (workloads/render in the repository), served as they are so the launch
 * wizard can attach them as a render job's inputs, and anyone can read what a job runs.
 */
const FILES: Record<string, string> = {
  'render.mjs': 'text/javascript; charset=utf-8',
  'scene.json': 'application/json',
};

export async function GET(_request: Request, context: { params: Promise<{ file: string }> }) {
  const { file } = await context.params;
  const type = FILES[file];
  if (!type) return new Response('Not found', { status: 404 });
  const bytes = await readFile(path.join(process.cwd(), 'workloads', 'render', file));
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': type,
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
  });
}
