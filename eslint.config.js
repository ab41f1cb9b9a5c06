// Lint: type-checked rules that catch floating promises and `return` inside `try` (clasp's bug),
// plus the module boundaries of STYLE.md enforced with no-restricted-imports.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const googleLibraries = ['@googleapis/chat', 'google-auth-library']

export default tseslint.config(
  { ignores: ['dist/**', '.tools/**', 'node_modules/**', 'bench/**', 'bin/**', 'eslint.config.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // core/ is pure: no I/O, no colour, no Google, no other layer.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'chalk', ...googleLibraries], message: 'core/ is pure: no I/O, colour or Google.' },
            {
              group: ['../commands/*', '../chat/*', '../auth/*', '../output*', '../emulator/*'],
              message: 'core/ depends on nothing.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  {
    // The emulator and the CLI are two independent sides of one wire contract.
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../core/*',
                '../chat/*',
                '../auth/*',
                '../commands/*',
                '../output/*',
                '../../core/*',
                '../../chat/*',
                '../../auth/*',
                '../../commands/*',
                '../../output/*',
                ...googleLibraries,
              ],
              message: 'The emulator shares no runtime code with the CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only chat/ talks to @googleapis/chat, only auth/ to google-auth-library (type imports are free).
    files: ['src/**/*.ts'],
    ignores: ['src/chat/**', 'src/auth/**', 'src/core/**', 'src/emulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: googleLibraries.map(name => ({ name, allowTypeImports: true, message: 'Go through chat/ or auth/.' })),
        },
      ],
    },
  },
)
