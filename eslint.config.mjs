import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // The board document is owned by lib/board: everything else goes through its operations.
    files: ['app/**', 'components/**'],
    ignores: ['components/board/board-session.ts'],
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
