// Lint: the rules that keep the code's boundaries and its promises honest (run by `npm run check`).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  paths: builtinModules.filter((m) => !m.startsWith('_')),
  patterns: [{ group: ['node:*'], message: 'Workflow and domain code stays free of Node built-ins (determinism, portability): do it in an activity or lib/.' }],
};

// What the API and the activities may take from workflows/: messages, ids and search attributes.
const workflowCode = {
  patterns: [
    {
      regex: 'workflows(/index|/[a-z-]+/workflow|/(review|flow-state|failures|handlers|metrics-interceptor))?$',
      allowTypeImports: true,
      message:
        'Outside the worker only workflows/*/messages.ts, ids.ts, search-attributes.ts, operator-messages.ts and review-messages.ts: this process must not load workflow code.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'web/dist/**', 'dev-outbox/dist/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  { files: ['api/**/*.ts', 'activities/**/*.ts'], rules: { 'no-restricted-imports': ['error', workflowCode] } },
  { files: ['workflows/**/*.ts', 'domain/**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', nodeBuiltins] } },
);
