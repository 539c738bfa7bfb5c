// ESLint, run by `npm test` (npm run lint): TypeScript's recommended rules everywhere, the rules
// of hooks in the web app. Formatting is Prettier's job (.prettierrc), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'data/**', '.local/**', 'web/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Cube's gateway and core are subclassed through hooks its type declarations keep private.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The app reads Cube's results through typed helpers (data/); an `any` would hide a
      // ResultSet change from the compiler.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Data flows one way (README, Layout): seeds/ writes the warehouse below cube/, lib/ sits below both.
  {
    files: ['seeds/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cube/**', '**/model/**', '**/web/**'], message: 'seeds/ sits below the server: move what both need into lib/.' }] }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/seeds/**', '**/cube/**', '**/web/**'], message: 'lib/ sits below seeds/ and cube/ and imports neither.' }] }],
    },
  },
  // Shared UI serves every page, so it may lean on data access and itself, never on a feature folder.
  {
    files: ['web/src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(?!data/|ui/)', message: 'web/src/ui/ may import ui/ and data/ only: move what a feature folder holds into one of them.' }] }],
    },
  },
);
