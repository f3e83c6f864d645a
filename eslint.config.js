// `npm run lint`. One flat config for the whole tree: type-aware typescript-eslint rules over every
// TypeScript file that tsconfig.json includes, plain JS rules for the few .js/.mjs/.cjs files.
// Line length and layout are Prettier's job (`npm run format:check`), not ESLint's.
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'client/dist/', 'bench/results/', 'test-artifacts/', '.ci/node/']),
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The three the issue asks for by name: a promise is awaited, or voided with a reason.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A switch over a union names every member (a `default` does not excuse a missing one); a
      // switch over an open type (a string from a script's reply) needs a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { requireDefaultForNonUnion: true }],
      // A leading underscore marks what is unused on purpose: an Express error handler's fourth
      // argument, a field split off a record with a rest pattern.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Off: the memory store, the fakes and the bench adapters implement Promise-returning
      // interfaces with `async` methods that need no await; `async` is how they keep a throw a
      // rejection, as callers of the Redis implementation see it.
      '@typescript-eslint/require-await': 'off',
      // socket.io calls a listener with the socket as `this`; one listener function serves every
      // socket (server/realtime/handler.ts), and naming it reads better than `this` in closures.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['socket'] }],
      // Off: the text rules of §3 match control characters on purpose (shared/text-rules.ts and its
      // tests); every hit of this rule in the code base is such a deliberate escape.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['client/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: they read what the server sent (acks, HTTP JSON, Redis replies) as untyped on
      // purpose and check it with chai; typing it first would assert what the test is there to find.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Off in tests: chai's property assertions (`expect(x).to.be.true`) are expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // Plain JavaScript (this file, the dependency-cruiser config, bench's node hooks): no types to check.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The page's service worker (§5.5): plain JavaScript run by the browser, not by Node.
    files: ['client/public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
