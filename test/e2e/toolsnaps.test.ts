import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { TOOLSET_TABLES } from '../../src/mcp/toolsets';
import { startBuiltServer } from '../support/stdio-server';

/**
 * One committed snapshot per tool (test/toolsnaps/<name>.json), as github-mcp-server keeps its
 * toolsnaps: a schema change shows as a small reviewed diff. UPDATE_TOOLSNAPS=1 rewrites them.
 */
const SNAPS = path.resolve(__dirname, '../toolsnaps');

describe('tools/list, tool by tool (SORA2_MCP_TOOLSET=all, over stdio)', () => {
  let tools: Tool[];
  beforeAll(async () => {
    const server = await startBuiltServer({ SORA2_MCP_TOOLSET: 'all', SORA2_MCP_API_KEY: 'sk-toolsnaps' });
    try {
      tools = (await server.client.listTools()).tools;
    } finally {
      await server.close();
    }
  });

  it('has a snapshot for every tool and no snapshot for a tool that is gone', () => {
    const names = tools.map((tool) => `${tool.name}.json`).sort();
    if (process.env.UPDATE_TOOLSNAPS)
      for (const tool of tools) writeFileSync(path.join(SNAPS, `${tool.name}.json`), `${JSON.stringify(tool, null, 2)}\n`);
    expect(readdirSync(SNAPS).sort()).toEqual(names);
  });

  it('matches each snapshot', () => {
    for (const tool of tools) {
      const file = path.join(SNAPS, `${tool.name}.json`);
      expect(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : `missing ${file}`).toEqual(JSON.parse(JSON.stringify(tool)));
    }
  });

  it('sets title, description, outputSchema and all four behaviour hints on every tool, explicitly', () => {
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(tool.outputSchema).toBeDefined();
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
        expect(typeof tool.annotations?.[hint]).toBe('boolean');
    }
  });

  it('gives one operation the same hints and output schema in every tool set', () => {
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const rows = [...TOOLSET_TABLES['openai-videos'], ...TOOLSET_TABLES.sora2];
    for (const operation of new Set(rows.map((row) => row.operation))) {
      const shapes = rows
        .filter((row) => row.operation === operation)
        .map((row) => {
          const { title: _title, ...hints } = byName.get(row.name)!.annotations!;
          return JSON.stringify({ hints, output: byName.get(row.name)!.outputSchema });
        });
      expect(new Set(shapes).size).toBe(1);
    }
  });

  it('names in each description only tools of its own set', () => {
    for (const [set, rows] of Object.entries(TOOLSET_TABLES)) {
      const own = new Set(rows.map((row) => row.name));
      const others = Object.values(TOOLSET_TABLES)
        .flat()
        .map((row) => row.name)
        .filter((name) => !own.has(name));
      for (const row of rows)
        for (const other of others)
          expect(`${set}:${row.name} mentions ${row.description.includes(other) ? other : 'nothing foreign'}`).toBe(
            `${set}:${row.name} mentions nothing foreign`,
          );
    }
  });
});
