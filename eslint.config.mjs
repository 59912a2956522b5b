// Lint guards in the spirit of Temporal's samples: workflow code stays deterministic, and no
// promise is left floating anywhere.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'bench/results/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({
            name,
            message: 'workflow code is deterministic: no Node built-ins (do I/O in an activity)',
          })),
          patterns: [
            {
              group: ['../src/*', '!../src/schedule', '!../src/schedule/*', '!../src/contract', '!../src/contract/*'],
              message: 'workflows may import only the pure schedule and contract modules from src/ (and types with `import type`)',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
