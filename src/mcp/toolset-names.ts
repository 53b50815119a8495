/** The tool sets' names, as SORA2_MCP_TOOLSET gives them (the tables themselves are in toolsets.ts). */
export const TOOLSETS = ['openai-videos', 'sora2', 'all'] as const;
export type Toolset = (typeof TOOLSETS)[number];
