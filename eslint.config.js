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
