import type { ToolDefinition } from './tool';
import { toolsFor, type UseCases } from './toolsets';

/** The tool definitions of each set without live use cases, for documentation (handlers are never called). */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  const inert = {} as UseCases;
  return [
    { name: 'openai-videos', env: 'default', tools: toolsFor('openai-videos', inert) },
    { name: 'sora2', env: 'SORA2_MCP_TOOLSET=sora2; both sets: SORA2_MCP_TOOLSET=all', tools: toolsFor('sora2', inert) },
  ];
}
