// Lint that keeps the layout the architecture (ARCHITECTURE.md): who may import whom, no cycles,
// deterministic workflow code, and no promise left floating. Run by `npm test`.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

/** The rooms, lowest first; each may import its own and the rooms listed for it. */
const layers = {
  workflows: [],
  platform: [],
  db: ['workflows', 'platform'],
  services: ['workflows', 'platform', 'db'],
  activities: ['workflows', 'platform', 'db', 'services'],
  worker: ['workflows', 'platform', 'db', 'services', 'activities'],
  web: ['workflows', 'platform', 'db', 'services'],
};
const rooms = Object.keys(layers);

/** Import patterns of the rooms `room` may not reach, relative specifiers from any depth. */
function forbiddenFrom(room) {
  const forbidden = rooms.filter((other) => other !== room && !layers[room].includes(other));
  return forbidden.map((other) => ({
    group: [`../${other}/*`, `../**/${other}/*`, `../../${other}/*`, `../../../${other}/*`],
    message: `${room}/ may not import ${other}/: the layers go ${rooms.join(' → ')} (see ARCHITECTURE.md)`,
    // Workflow code names its activities' types for proxyActivities, and nothing else of them.
    ...(room === 'workflows' && other === 'activities' ? { allowTypeImports: true } : {}),
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.tools/**', 'test-artifacts/**', 'web/static/**', 'scripts/compose-check/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
    },
  },
  ...rooms.map((room) => ({
    files: [`${room}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: forbiddenFrom(room),
          // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins there.
          ...(room === 'workflows' ? { paths: nodeBuiltins.map((name) => ({ name, message: 'workflow code is deterministic: no Node built-ins (use an activity)' })) } : {}),
        },
      ],
    },
  })),
  {
    // An admin view is a pure function of the model its handler loaded: it may name any type, but
    // takes values only from the pure modules below (formatting, the shared rules, words, paths).
    files: ['web/admin/views/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'hono', message: 'a view renders its model: no request context', allowTypeImports: true }, ...nodeBuiltins],
          patterns: [
            ...forbiddenFrom('web'),
            {
              group: [
                '../*.js', '../../*.js', '../../**/*.js', '../../../**/*.js',
                '!../paths.js', '!../reminder-log-filter.js', '!../../i18n.js', '!../../timeline-texts.js', '!../../reason-texts.js', '!../../validation-texts.js', '!../../import/csv-rows.js',
                '!../../../services/format.js', '!../../../services/sepa/pain008.js', '!../../../services/documents/merge-fields.js', '!../../../services/documents/template-check.js',
                '!../../../workflows/schedule/*.js', '!../../../db/queries/templates.js', '!../../../db/queries/payments.js',
                'hono/*', '!hono/html', '@temporalio/*', 'postgres', 'stripe', 'resend', 'playwright-core',
              ],
              allowTypeImports: true,
              message: 'a view renders the model it is given and loads nothing: its handler does (see ARCHITECTURE.md)',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code imports nothing for its side effects, and only the packages that are safe in the sandbox.
    files: ['workflows/**/*.ts'],
    rules: {
      'import-x/no-unassigned-import': 'error',
      'import-x/no-extraneous-dependencies': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^[^.]/]:not([source.value=/^@temporalio\\/(workflow|common)$/]):not([source.value='@date-fns/tz'])",
          message: 'workflow code imports @temporalio/workflow, @temporalio/common, @date-fns/tz and its own modules only',
        },
      ],
    },
  },
);
