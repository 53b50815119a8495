import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { listingFileName, TOOLSET_TABLES, toolsOf } from '../../src/mcp/toolsets';
import { OFFICIAL_PROFILE } from '../../src/domain/ports';
import { VIEW_READ_TOOL } from '../../src/mcp/view-contract';
import { mcpServerWith } from '../support/mcp-servers';

/**
 * One committed snapshot per tool (test/toolsnaps/<name>.json), as github-mcp-server keeps its
 * toolsnaps: a schema change shows as a small reviewed diff. UPDATE_TOOLSNAPS=1 rewrites them. A unit
 * test of the definitions: the tools are built from the operations and listed by the real MCP SDK, in
 * process (the stdio workflow test lists them from the built server once).
 */
const SNAPS = path.resolve(__dirname, '../toolsnaps');
const snapFiles = () => readdirSync(SNAPS).filter((name) => name.endsWith('.json'));

describe('the tool definitions, tool by tool, as the MCP SDK lists them (both sets)', () => {
  let tools: Tool[];
  beforeAll(async () => {
    const server = mcpServerWith([...toolsOf('openai-videos'), ...toolsOf('sora2')]);
    const client = new Client({ name: 'toolsnaps', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    // The view's app-only reader is not a tool set's: its definition is the view's (video-view.ts).
    tools = (await client.listTools()).tools.filter((tool) => tool.name !== VIEW_READ_TOOL);
    await client.close();
  });

  it('is what the build made for a server of the official shape to list (build/tool-list/)', async () => {
    const built = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../build/tool-list', listingFileName(OFFICIAL_PROFILE)), 'utf8'),
    ) as Record<string, unknown>;
    const offering = { provider: OFFICIAL_PROFILE, listsFromRegistry: true };
    const server = mcpServerWith([...toolsOf('openai-videos', undefined, offering), ...toolsOf('sora2', undefined, offering)]);
    const client = new Client({ name: 'toolsnaps', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    const official = (await client.listTools()).tools;
    await client.close();
    expect(official.length).toBeGreaterThan(10);
    for (const tool of official) expect(built[tool.name]).toEqual(tool);
  });

  it('has a snapshot for every tool and no snapshot for a tool that is gone', () => {
    const names = tools.map((tool) => `${tool.name}.json`).sort();
    if (process.env.UPDATE_TOOLSNAPS)
      for (const tool of tools) writeFileSync(path.join(SNAPS, `${tool.name}.json`), `${JSON.stringify(tool, null, 2)}\n`);
    expect(snapFiles().sort()).toEqual(names);
  });

  it('matches each snapshot', () => {
    for (const tool of tools) {
      const file = path.join(SNAPS, `${tool.name}.json`);
      expect(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : `missing ${file}`).toEqual(JSON.parse(JSON.stringify(tool)));
    }
  });

  it('names in each description only tools of its own set', () => {
    for (const set of ['openai-videos', 'sora2'] as const) {
      const own = new Set(TOOLSET_TABLES[set].map((row) => row.name));
      const others = Object.values(TOOLSET_TABLES)
        .flat()
        .map((row) => row.name)
        .filter((name) => !own.has(name));
      for (const tool of toolsOf(set))
        for (const other of others)
          expect(`${set}:${tool.name} mentions ${tool.description.includes(other) ? other : 'nothing foreign'}`).toBe(
            `${set}:${tool.name} mentions nothing foreign`,
          );
    }
  });
});
