// Lint rules, and the import boundaries between environments (DESIGN §1), the way VS Code
// enforces its common/node/browser/electron layers: a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'url', 'util', 'zlib', 'worker_threads'];

/** `no-restricted-imports` patterns: forbidden folders (relative imports) and packages. */
function forbid({ folders = [], packages = [] }, message) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...folders.map((folder) => ({ group: [`**/${folder}`, `**/${folder}/**`], message })),
          ...(packages.length ? [{ group: packages, message }] : []),
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.tsbuild/**', 'renderer/dist/**', 'widget/dist/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['common/**/*.ts'],
    rules: forbid(
      { folders: ['server', 'main', 'preload', 'renderer'], packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'koa', 'ws'] },
      'common/ is environment-free: it may import only common/ and pure libraries (zod).',
    ),
  },
  {
    files: ['node/**/*.ts'],
    rules: forbid(
      { folders: ['server', 'main', 'preload', 'renderer'], packages: ['electron'] },
      'node/ is plain Node shared by server/ and main/engine/: it imports only common/ and packages.',
    ),
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/store/**', 'server/domain/**'],
    rules: forbid(
      { folders: ['main', 'preload', 'renderer'], packages: ['electron', 'better-sqlite3', 'pg'] },
      'server/ never imports the desk (main/, preload/, renderer/), and only server/store/ talks to a database driver.',
    ),
  },
  {
    files: ['server/store/**/*.ts'],
    rules: forbid(
      { folders: ['main', 'preload', 'renderer', 'dialects', 'http', 'realtime'], packages: ['electron', 'koa', '@koa/router'] },
      'server/store/ keeps data: it returns domain records and knows no HTTP, dialect or realtime code.',
    ),
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: forbid(
      { folders: ['main', 'preload', 'renderer', 'dialects', 'http', 'realtime'], packages: ['electron', 'koa', '@koa/router', 'better-sqlite3', 'pg'] },
      'server/domain/ returns records and throws domain errors: no Koa, no server/http, no dialect, no database driver.',
    ),
  },
  {
    files: ['main/engine/**/*.ts'],
    rules: forbid(
      { folders: ['server', 'electron', 'web', 'preload', 'renderer'], packages: ['electron', 'electron/*'] },
      'main/engine/ is plain Node: no Electron, no server internals, no UI. Talk to the server over HTTP.',
    ),
  },
  {
    files: ['main/web/**/*.ts'],
    rules: forbid({ folders: ['electron', 'preload', 'renderer'], packages: ['electron'] }, 'main/web/ serves the engine to a browser; it never imports Electron or UI code.'),
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: forbid({ folders: ['server', 'web', 'renderer'] }, 'main/electron/ is Electron glue: it starts the engine and the window, nothing else.'),
  },
  {
    files: ['preload/**/*.ts'],
    rules: forbid({ folders: ['server', 'main', 'renderer'], packages: NODE_BUILTINS }, 'preload/ exposes the bridge contract from common/ and nothing else.'),
  },
  {
    files: ['widget/**/*.ts', 'widget/**/*.tsx'],
    ignores: ['widget/build.ts'],
    rules: forbid(
      { folders: ['server', 'main', 'preload', 'renderer', 'node'], packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'react', 'react-dom', 'zustand', 'laravel-echo'] },
      'widget/ runs on websites and in its frame: it imports only common/ and its own browser dependencies (preact, pusher-js), never operator or Node code.',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: forbid(
      { folders: ['server', 'main', 'preload'], packages: [...NODE_BUILTINS, 'electron', 'better-sqlite3'] },
      'renderer/ sees only common/ and the bridge: no Node, no Electron, no engine or server code.',
    ),
  },
);
