/**
 * The dialects' names, as SORA2_MCP_DIALECT gives them: apart from the dialects themselves, so the
 * configuration's types (and the library's declarations) need none of the SDK types a dialect uses.
 */
export const DIALECT_NAMES = ['openai', 'json', 'openrouter'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];
