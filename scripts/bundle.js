#!/usr/bin/env node
/*
 * Bundles the server into build/index.js (the bin), and the library entries into build/lib.js
 * (`sora2-mcp`) and build/testing.js (`sora2-mcp/testing`), after tsc has type-checked and emitted
 * the per-module build. One file loads faster than hundreds: start-up is measured by `npm run bench`.
 * sharp (a native addon), openai and the AWS SDK (loaded lazily, when first needed) stay external.
 */
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
// The input is tsc's CommonJS output, so every package resolves to its `require` build, exactly as
// in the unbundled build (bundling the TypeScript would pick ESM builds and change module init order).
/**
 * ext-apps is ESM and imports the MCP SDK and zod the ESM way; the rest of the server requires their
 * CommonJS builds. Resolving its imports as requires keeps one copy of each in the bundle (two would
 * add a megabyte and a second module init to every start).
 */
const oneCopy = {
  name: 'one-copy-of-sdk-and-zod',
  setup(build) {
    build.onResolve({ filter: /^(@modelcontextprotocol\/sdk|zod)(\/|$)/ }, async (args) => {
      if (args.kind !== 'import-statement' || !/[\\/]ext-apps[\\/]/.test(args.importer)) return undefined;
      const resolved = await build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir });
      return { path: resolved.path, namespace: resolved.namespace, external: resolved.external, errors: resolved.errors };
    });
  },
};

async function bundle(from, to) {
  return esbuild.build({
    metafile: true,
    entryPoints: [path.join(root, 'build', from)],
    outfile: path.join(root, 'build', to),
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['sharp', 'openai', '@aws-sdk/*'],
    legalComments: 'none',
    // Less to parse at every start; names are kept, so stack traces still read.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    plugins: [oneCopy],
  });
}

(async () => {
  const bundles = [
    await bundle('index.js', 'index.js'),
    await bundle('lib.js', 'lib.js'),
    await bundle(path.join('testing', 'index.js'), 'testing.js'),
  ];

  // The bundle carries other projects' code, so it carries their licence notices too: one file,
  // generated from the metafile (exactly the packages whose code is in the bundle), shipped beside it.
  const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
  const packages = new Map();
  for (const input of bundles.flatMap((result) => Object.keys(result.metafile.inputs))) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'));
    if (!match) continue;
    const dir = path.join(root, input.slice(0, match.index + match[0].length));
    if (!packages.has(match[1])) packages.set(match[1], dir);
  }
  const sections = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const noticeFile = readdirSync(dir).find((file) => /^(licen[cs]e|notice|copying)(\.(md|txt))?$/i.test(file));
      const notice = noticeFile
        ? readFileSync(path.join(dir, noticeFile), 'utf8').trim()
        : `(no licence file shipped; package.json says ${pkg.license})`;
      return `${name} ${pkg.version}\nLicense: ${typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license)}\n\n${notice}\n`;
    });
  const header =
    'THIRD-PARTY NOTICES\n\nbuild/index.js, build/lib.js and build/testing.js bundle code from the packages below (found from the bundle metafiles at build time).\n' +
    'sharp, openai and the AWS SDK are not bundled: they are installed as dependencies, with their own licences.\n';
  writeFileSync(path.join(root, 'THIRD_PARTY_NOTICES'), `${header}\n${sections.join('\n' + '-'.repeat(72) + '\n\n')}`);
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
