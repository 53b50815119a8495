import type { Logger, LogLevel } from '../../domain/ports';
import { redactSecrets } from '../../domain/redaction';

export type ConfiguredLogLevel = LogLevel | 'silent';
/** Somewhere else a log line goes, e.g. MCP `notifications/message`; receives already-redacted text. */
export type LogSink = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

const RANK: Record<ConfiguredLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Writes log lines to stderr (stdout belongs to the MCP protocol), or to a library user's own Logger,
 * and to any attached sinks (MCP log notifications), after scrubbing secrets. Logging must never
 * break a call, so sink failures are swallowed.
 */
export class RedactingLogger implements Logger {
  private readonly sinks: { sink: LogSink; threshold: () => ConfiguredLogLevel }[] = [];

  constructor(
    private readonly level: ConfiguredLogLevel,
    private readonly secrets: readonly string[],
    /** Where lines go besides the sinks: a function taking the formatted line (stderr by default), or a Logger taking them as they are. */
    private readonly output: ((line: string) => void) | Logger = (line) => process.stderr.write(line),
  ) {}

  /** Adds a destination with its own level (an MCP client's `logging/setLevel`), the configured one by default. */
  attach(sink: LogSink, threshold: () => ConfiguredLogLevel = () => this.level): void {
    this.sinks.push({ sink, threshold });
  }

  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    const toStderr = RANK[level] >= RANK[this.level];
    const sinks = this.sinks.filter((entry) => RANK[level] >= RANK[entry.threshold()]);
    if (!toStderr && sinks.length === 0) return;
    const text = redactSecrets(message, this.secrets);
    const safeData = data === undefined ? undefined : (JSON.parse(redactSecrets(safeJson(data), this.secrets)) as Record<string, unknown>);
    try {
      if (toStderr && typeof this.output === 'function') {
        this.output(`${new Date().toISOString()} sora2-mcp ${level}: ${text}${safeData ? ` ${JSON.stringify(safeData)}` : ''}\n`);
      } else if (toStderr && typeof this.output !== 'function') {
        this.output.log(level, text, safeData);
      }
    } catch {
      // stderr closed: nothing sensible to do.
    }
    for (const { sink } of sinks) {
      try {
        sink(level, text, safeData);
      } catch {
        // A sink (e.g. a closed MCP connection) must not break the caller.
      }
    }
  }
}

function safeJson(data: Record<string, unknown>): string {
  try {
    return (
      JSON.stringify(data, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value)) ??
      '{}'
    );
  } catch {
    return '{"unserializable":true}';
  }
}
