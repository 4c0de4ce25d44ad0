// Lint for the whole workspace. The rule that matters most is @nx/enforce-module-boundaries: apps
// depend on libs, never on each other; the contract (libs/events) depends on nothing of ours.
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '.local', '.nx', 'tmp', '**/jest.config.js', 'jest.preset.js', 'jest.e2e.preset.js', 'tools/scripts/*.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'] },
            { sourceTag: 'type:observability', onlyDependOnLibsWithTags: [] },
            // runtime reads the contract's validation (compiled checks for request bodies), nothing else of it.
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:observability', 'type:contract'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contract', 'type:observability'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:contract', 'type:observability'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:contract', 'type:messaging', 'type:data', 'type:runtime', 'type:observability'],
            },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contract', 'type:messaging', 'type:observability', 'type:tool'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contract', 'type:messaging', 'type:tool'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:testing', 'type:contract', 'type:messaging', 'type:runtime', 'type:tool', 'type:observability'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
];
