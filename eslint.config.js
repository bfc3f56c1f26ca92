// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Boundaries between the directories of src/ (DESIGN.md §6). Each key is a directory under src/;
 * its value lists the src/ paths it must not import from. `*` means "every directory except the
 * ones listed in `except`".
 *
 * @type {Record<string, { forbid: string[], except?: string[] }>}
 */
const boundaries = {
  virt: { forbid: ['db', 'rpc', 'api', 'compute', 'conductor', 'services'] },
  // The compute service reaches its cell database only; the API database is the conductor's.
  compute: { forbid: ['db/api', 'api', 'services'] },
  db: { forbid: ['api', 'rpc', 'services'] },
  common: { forbid: ['*'], except: ['common', 'objects'] },
  objects: { forbid: ['*'], except: ['common', 'objects'] },
  // Composition roots: they may wire anything.
  services: { forbid: [] },
  cli: { forbid: [] },
};
/** Directories not named above may import anything but the composition roots. */
const defaultForbid = ['services'];
/** How deep below src/<dir>/ the generated overrides reach. */
const MAX_DEPTH = 10;

/** @param {string} s */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `no-restricted-imports` matches the import text, and our imports are relative, so the
 * boundaries are generated per depth: a file in src/<dir>/ followed by `depth` more folders reaches
 * src/ with exactly depth + 1 `../`.
 */
function boundaryConfigs() {
  const configs = [];
  // Every src/ directory that has a rule of its own; the catch-all below excludes them.
  const named = Object.keys(boundaries);
  const all = [...Object.entries(boundaries), ['*', { forbid: defaultForbid }]];
  for (const [dir, rule] of all) {
    if (rule.forbid.length === 0) continue;
    for (let depth = 0; depth <= MAX_DEPTH; depth++) {
      const ups = `(?:\\.\\./){${depth + 1}}`;
      const targets = rule.forbid.includes('*')
        ? `(?!(?:${(rule.except ?? []).map(escape).join('|')})(?:/|$))[^./][^/]*`
        : `(?:${rule.forbid.map(escape).join('|')})`;
      const message =
        dir === '*'
          ? 'Only src/services, src/cli and test/ may import the composition roots in src/services (DESIGN.md §6).'
          : rule.forbid.includes('*')
            ? `src/${dir} may import only ${(rule.except ?? []).map((d) => `src/${d}`).join(' and ')} (DESIGN.md §6).`
            : `src/${dir} must not import ${rule.forbid.map((d) => `src/${d}`).join(', ')} (DESIGN.md §6).`;
      const sub = '*/'.repeat(depth);
      configs.push({
        name: `tessera/boundaries/${dir === '*' ? 'default' : dir}/depth-${depth}`,
        files: dir === '*' ? [`src/*/${sub}*.ts`] : [`src/${dir}/${sub}*.ts`],
        ...(dir === '*' ? { ignores: named.map((d) => `src/${d}/**`) } : {}),
        rules: {
          'no-restricted-imports': ['error', { patterns: [{ regex: `^${ups}${targets}(?:/|$)`, caseSensitive: true, message }] }],
        },
      });
    }
  }
  return configs;
}

export default defineConfig(
  {
    name: 'tessera/ignores',
    ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'],
  },
  {
    name: 'tessera/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    name: 'tessera/typescript',
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      // Without these import-x only follows .js files, and no-cycle never sees a .ts module.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    name: 'tessera/tests',
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...boundaryConfigs(),
);
