/**
 * The values some settings choose from, apart from the table (variables.ts) so that the library's
 * declarations of the configuration (AppConfig) need no validator's types.
 */

/**
 * The dialects, by the names SORA2_MCP_DIALECT takes. Everything else about each (what it speaks to, its hosts, its
 * key variable) is in its own file (adapters/openai/dialects/), which the configuration table may not import.
 */
export const DIALECT_NAMES = ['openai', 'json', 'openrouter', 'bifrost', 'fal', 'gemini'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The tool sets' names, as SORA2_MCP_TOOLSET takes them. */
export const TOOLSETS = ['openai-videos', 'sora2', 'all'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** What a budget covers (the domain's `BudgetPeriod`; the configuration assigns one to the other, so they cannot drift). */
export const BUDGET_PERIODS = ['day', 'month', 'all'] as const;
