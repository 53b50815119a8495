/**
 * The values some settings choose from, apart from the table (variables.ts) so that the library's
 * declarations of the configuration (AppConfig) need no validator's types.
 */

/** The dialects' names, as SORA2_MCP_DIALECT takes them (the dialects themselves are adapters). */
export const DIALECT_NAMES = ['openai', 'json', 'openrouter'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The tool sets' names, as SORA2_MCP_TOOLSET takes them. */
export const TOOLSETS = ['openai-videos', 'sora2', 'all'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];
