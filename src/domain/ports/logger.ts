export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logging that never reaches stdout (stdout is the MCP protocol). */
export interface Logger {
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}
