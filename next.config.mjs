/** Sent with every response; pages also get a per-request Content-Security-Policy from proxy.ts. */
const SECURITY_HEADERS = [
  // share links were once `?key=` URLs: never leak an address to another site
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
];
/** For responses that are never rendered as documents (lib/http/csp.ts API_CSP). */
const NO_CONTENT_CSP = { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" };

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets parallel builds (tests, benchmarks) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Next infers the workspace root from lockfiles and may pick a parent folder's.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  serverExternalPackages: ['better-sqlite3', 'pino'],
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      { source: '/api/:path*', headers: [NO_CONTENT_CSP] },
      { source: '/_next/static/:path*', headers: [NO_CONTENT_CSP] },
    ];
  },
};

export default nextConfig;
