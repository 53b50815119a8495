#!/usr/bin/env node
/*
 * Builds the MCP Apps view (ui://sora2-mcp/video.html) from src/mcp/view: the script bundled and
 * minified for the browser, then inlined with the styles into one self-contained HTML document
 * (hosts render it in a sandboxed iframe with a CSP that allows inline code and nothing remote).
 * zod's ~40 locale files, which ext-apps pulls in, are replaced by an empty module: the view never
 * shows a zod message, and they are most of the bundle. Fails when the document exceeds 512 KB.
 */
'use strict';
const path = require('node:path');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'src', 'mcp', 'view');
const MAX_BYTES = 512 * 1024;

const noZodLocales = {
  name: 'no-zod-locales',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

(async () => {
  const bundle = await esbuild.build({
    entryPoints: [path.join(source, 'video-view.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    legalComments: 'none',
    plugins: [noZodLocales],
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  const css = (await esbuild.transform(readFileSync(path.join(source, 'video-view.css'), 'utf8'), { loader: 'css', minify: true })).code;
  const template = readFileSync(path.join(source, 'video-view.html'), 'utf8');
  const html = template.replace('/*STYLE*/', () => css).replace('/*SCRIPT*/', () => script);
  if (html.includes('/*STYLE*/') || html.includes('/*SCRIPT*/')) throw new Error('the view template lost a placeholder');
  const bytes = Buffer.byteLength(html);
  if (bytes > MAX_BYTES) throw new Error(`the video view is ${bytes} bytes, over its ${MAX_BYTES}-byte budget`);
  mkdirSync(path.join(root, 'build', 'view'), { recursive: true });
  writeFileSync(path.join(root, 'build', 'view', 'video.html'), html);
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
