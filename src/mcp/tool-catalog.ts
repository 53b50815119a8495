import type { ToolDefinition } from './tool';
import { ENV } from '../config/variables';
import { TOOLSET_TABLES, toolFor } from './toolsets';

/** The tool definitions of each set, from the tables alone (no use cases), for documentation. */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  return [
    { name: 'openai-videos', env: 'default', tools: TOOLSET_TABLES['openai-videos'].map((row) => toolFor(row, undefined)) },
    {
      name: 'sora2',
      env: `${ENV.toolset.name}=sora2; both sets: ${ENV.toolset.name}=all`,
      tools: TOOLSET_TABLES.sora2.map((row) => toolFor(row, undefined)),
    },
  ];
}
