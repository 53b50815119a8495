/**
 * The values some settings choose from, apart from the table (variables.ts) so that the library's
 * declarations of the configuration (AppConfig) need no validator's types.
 */

/** The dialects, by the names SORA2_MCP_DIALECT takes, with what each speaks to (the dialects themselves are adapters). */
export const DIALECT_CHOICES = {
  openai: 'the official /v1/videos shape (LiteLLM, Bifrost behind /openai/v1)',
  json: 'JSON bodies (LLM Gateway)',
  openrouter: "OpenRouter's video API (polling_url, download URLs, models with prices)",
  bifrost: "Bifrost's own /v1/videos (JSON, provider/model ids, negative prompt, seed and sound)",
} as const;
export type DialectName = keyof typeof DIALECT_CHOICES;
export const DIALECT_NAMES = Object.keys(DIALECT_CHOICES) as [DialectName, ...DialectName[]];

/** The tool sets' names, as SORA2_MCP_TOOLSET takes them. */
export const TOOLSETS = ['openai-videos', 'sora2', 'all'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** What a budget covers (the domain's `BudgetPeriod`; the configuration assigns one to the other, so they cannot drift). */
export const BUDGET_PERIODS = ['day', 'month', 'all'] as const;
