import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // The board document is owned by lib/board: everything else goes through its operations.
    files: ['**/*.{ts,tsx,js,jsx,mjs,cjs}'],
    ignores: [
      'lib/board/**', // the document module itself
      'server/**', // the sync server holds one Y.Doc per board and applies raw updates
      'bench/**', // benchmarks seed and drive documents directly
      'e2e/**', // specs inspect the document a page holds
      '**/*.test.{ts,tsx}', // tests build documents to set up and assert on
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'yjs', message: 'Use the typed operations in lib/board.' }] }],
    },
  },
  {
    // Playwright fixtures take `{}` and call `use()`: neither is React.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'no-empty-pattern': 'off' },
  },
  globalIgnores([
    '.next*/**', 'out/**', 'build/**', 'next-env.d.ts', 'playwright-report/**', 'test-results/**',
    'reports/**', 'data/**', 'node_modules/**', '.tmp/**',
  ]),
]);
