/**
 * Where to send a visitor back after signing in: a path on this site only. Anything else — another origin,
 * a protocol-relative `//host`, a backslash some browsers read as a slash, control characters — falls back
 * to the home page, so the `next` parameter can never be used to redirect off the site.
 */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  try {
    const url = new URL(value, 'http://return.invalid');
    if (url.origin !== 'http://return.invalid') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
