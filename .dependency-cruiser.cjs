/** The hexagon's boundaries, checked on every test run (exit code = number of violations). */
module.exports = {
  forbidden: [
    {
      name: 'inner-layers-stay-pure',
      comment: 'domain/ and application/ import no adapter, MCP code, composition, or npm package (zod is the only exception).',
      severity: 'error',
      from: { path: '^src/(domain|application)/' },
      to: { path: '^src/(adapters|mcp|composition|apps|config)/|^src/index\\.ts$' },
    },
    {
      name: 'inner-layers-no-packages',
      comment: 'No SDK, no tsyringe, no fs or other Node built-in in domain/ or application/.',
      severity: 'error',
      from: { path: '^src/(domain|application)/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown', 'core'],
        pathNot: '^node_modules/zod/',
      },
    },
    {
      name: 'media-is-a-library',
      comment:
        'src/codecs/ (MP4 boxes, H.264 stills, the sniffer, the verifier) is generic technical code: it imports nothing else of ours, no package, no Node built-in.',
      severity: 'error',
      from: { path: '^src/codecs/' },
      to: {
        pathNot: '^src/codecs/',
      },
    },
    {
      name: 'config-is-one-table',
      comment: 'src/config/ is the table of every variable and flag: the rooms outside the core read it; it reads none of them.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'domain-does-not-know-application',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/application/' },
    },
    {
      name: 'adapters-are-independent',
      comment: 'An adapter talks to the domain, never to another adapter, MCP code or the composition root.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/(adapters/|mcp/|composition/)', pathNot: ['^src/adapters/$1/'] },
    },
    {
      name: 'only-composition-imports-adapters',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/adapters/', '^src/composition/'] },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'tsyringe-only-in-composition',
      comment: 'The container lives in composition/; reflect-metadata is imported by the entries only (the bin, the library).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/composition/', '^src/index\\.ts$', '^src/lib\\.ts$'] },
      to: { path: '^node_modules/(tsyringe|reflect-metadata)/' },
    },
    {
      name: 'only-the-entry-runs-programs',
      comment: 'apps/ holds the runnable programs (stdio, HTTP, the simulator face, doctor): only the bin and apps/ itself import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/apps/', '^src/index\\.ts$'] },
      to: { path: '^src/apps/' },
    },
    {
      name: 'mcp-does-not-reach-composition',
      severity: 'error',
      from: { path: '^src/mcp/' },
      to: { path: '^src/composition/' },
    },
    {
      name: 'view-is-a-browser-bundle',
      comment: 'The MCP Apps view runs in the host iframe: it shares only view-contract.ts with the server.',
      severity: 'error',
      from: { path: '^src/mcp/view/' },
      to: { path: '^src/', pathNot: ['^src/mcp/view/', '^src/mcp/view-contract\\.ts$'] },
    },
    {
      name: 'testing-kit-builds-on-ports',
      comment: 'sora2-mcp/testing (contract kits, fakes) knows the domain and its ports, never an adapter or the server.',
      severity: 'error',
      from: { path: '^src/testing/' },
      to: { path: '^src/(adapters|application|mcp|composition)/' },
    },
    { name: 'src-never-imports-test', severity: 'error', from: { path: '^src/' }, to: { path: '^test/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'] },
  },
};
