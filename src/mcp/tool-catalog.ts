import type { ToolDefinition } from './tool';
import { ENV } from '../config/variables';
import { toolsOf } from './toolsets';

/** The tool definitions of each set, from the tables alone (no use cases), for documentation. */
export function documentedToolsets(): { name: string; env: string; tools: readonly ToolDefinition[] }[] {
  return [
    { name: 'openai-videos', env: 'default', tools: toolsOf('openai-videos') },
    {
      name: 'sora2',
      env: `${ENV.toolset.name}=sora2; both sets: ${ENV.toolset.name}=all`,
      tools: toolsOf('sora2'),
    },
  ];
}
