import type { ToolDefinition } from './tool';
import { TOOLSET_TABLES, toolFor } from './toolsets';

/** The tool definitions of each set, from the tables alone (no use cases), for documentation. */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  return [
    { name: 'openai-videos', env: 'default', tools: TOOLSET_TABLES['openai-videos'].map((row) => toolFor(row, undefined)) },
    {
      name: 'sora2',
      env: 'SORA2_MCP_TOOLSET=sora2; both sets: SORA2_MCP_TOOLSET=all',
      tools: TOOLSET_TABLES.sora2.map((row) => toolFor(row, undefined)),
    },
  ];
}
