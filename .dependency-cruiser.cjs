/**
 * The import rules of DESIGN.md, enforced in CI (`npm run lint`). Each rule says why it exists.
 * VS Code enforces its common/node/electron-main layers the same way.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-portable',
      comment: 'shared/core runs anywhere (renderer, worker, Node): no Node built-ins, nothing from shared/node, electron, renderer or scripts.',
      severity: 'error',
      from: { path: '^shared/core/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-stays-in-core',
      comment: 'shared/core imports only shared/core and pure npm libraries.',
      severity: 'error',
      from: { path: '^shared/core/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(shared/node|electron|renderer|scripts)/' },
    },
    {
      name: 'shared-never-imports-hosts',
      comment: 'shared/** never imports electron, renderer/ or scripts/.',
      severity: 'error',
      from: { path: '^shared/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(renderer|scripts|electron)/|^node_modules/electron/' },
    },
    {
      name: 'renderer-only-core',
      comment: 'The renderer imports only shared/core (and UI packages): never Node code, never electron.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: '^(shared/node|electron|scripts)/|^node_modules/(electron|better-sqlite3)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer runs in a sandboxed page: Node built-ins are not there.',
      severity: 'error',
      from: { path: '^renderer/src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sources-yield-not-store',
      comment: 'Sources yield data; services save it. A source never imports the store.',
      severity: 'error',
      from: { path: '^shared/node/sources/', pathNot: '\\.test\\.ts$' },
      to: { path: '^shared/node/(store|services)/' },
    },
    {
      name: 'preload-is-thin',
      comment: 'The preload imports only shared/core/api and electron.',
      severity: 'error',
      from: { path: '^electron/preload/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(shared/(node|core/(?!api/|model/))|renderer|scripts)' },
    },
    {
      name: 'cli-through-services',
      comment: 'The CLI uses shared/node only through services (and the serve transport).',
      severity: 'error',
      from: { path: '^scripts/cli/', pathNot: '\\.test\\.ts$' },
      to: { path: '^shared/node/(?!services/|serve/)' },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make layers meaningless and modules hard to test alone.',
      severity: 'error',
      from: { path: '^(shared|renderer/src|electron)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'svelte'], extensions: ['.ts', '.js', '.svelte', '.mjs', '.cjs', '.json'] },
    extraExtensionsToScan: ['.svelte'],
  },
};
