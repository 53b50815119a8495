// Jest runs CommonJS; @modelcontextprotocol/ext-apps ships ESM only. The bundles inline it with esbuild,
// so the tests transform it with esbuild too, file by file.
'use strict';
const esbuild = require('esbuild');

module.exports = {
  process(source, filename) {
    return { code: esbuild.transformSync(source, { format: 'cjs', loader: 'js', target: 'node20', sourcefile: filename }).code };
  },
};
