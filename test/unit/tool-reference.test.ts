import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documentedToolsets } from '../../src/mcp/toolsets';
import { renderToolReference } from '../../src/mcp/tool-reference';

describe('docs/tools.md', () => {
  it('matches the real tool schemas (regenerate with `npm run docs:tools`)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../docs/tools.md'), 'utf8');
    expect(committed).toBe(renderToolReference(documentedToolsets()));
  });

  it('documents every input of every tool', () => {
    const text = renderToolReference(documentedToolsets());
    for (const set of documentedToolsets()) {
      for (const tool of set.tools) {
        expect(text).toContain(`### \`${tool.name}\``);
        for (const input of Object.keys(tool.inputSchema.shape)) expect(text).toContain(`| \`${input}\` |`);
      }
    }
  });
});
