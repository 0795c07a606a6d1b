/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Lets parallel builds (tests, benchmarks) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Next infers the workspace root from lockfiles and may pick a parent folder's.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  serverExternalPackages: ['better-sqlite3', 'pino'],
};

export default nextConfig;
