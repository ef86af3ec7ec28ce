/**
 * CUDA versions as agents report them ("12.4") and as a number that sorts and compares: major × 100 + minor
 * (12.4 → 1204, 12.10 → 1210). Zod-free: the browser imports it. The migration that added `offers.cuda_rank`
 * computes the same number in SQL.
 */
export const CUDA_VERSION_PATTERN = /^(\d{1,2})\.(\d{1,2})$/;

/** The sortable number of a CUDA version; 0 when the text is not `major.minor`. */
export function cudaRank(version: string): number {
  const match = CUDA_VERSION_PATTERN.exec(version.trim());
  return match ? Number(match[1]) * 100 + Number(match[2]) : 0;
}
