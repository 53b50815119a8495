import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { redactSecrets } from '../domain/redaction';
import { ClearedParts } from './cleared-parts';
import { MAX_STRING_CHARS } from './limits';
import { asServer, ServerBytes } from './server-bytes';

/**
 * The one exit for every MCP message the server sends: results (every content block and
 * structuredContent), errors, progress and log notifications. It removes secrets, bounds every
 * string, and keeps each message under a budget far below what clients accept (the TypeScript
 * SDK's stdio client closes the connection on a message over 10 MiB), so no input and no provider
 * answer can end a session.
 */

/** The most one message may carry, serialised. Well under the 10 MiB stdio cap (docs/security.md). */
export const REPLY_BUDGET_BYTES = 4 * 1024 * 1024;
/** Strings inside notifications (progress and log messages). */
const MAX_NOTIFICATION_STRING_CHARS = 4 * 1024;

export class ExitGate {
  /** Secrets JSON writes as they are, so a search of the serialised message finds them (see `pass`). */
  private readonly fastPathSafe: boolean;

  constructor(
    private readonly secrets: readonly string[],
    private readonly budgetBytes = REPLY_BUDGET_BYTES,
  ) {
    this.fastPathSafe = secrets.every((secret) => JSON.stringify(secret) === `"${secret}"`);
  }

  /**
   * The message as it may leave: redacted, every string bounded, and the whole within budget. It never throws: a
   * message that cannot even be serialised (too large for a string, nested too deep, a cycle) leaves as a short error
   * instead, for the transport would otherwise drop the answer and leave the call hanging.
   */
  pass(message: JSONRPCMessage, own: ServerBytes = new ServerBytes()): JSONRPCMessage {
    try {
      return this.passOrThrow(message, own);
    } catch {
      return unsendable(message);
    }
  }

  private passOrThrow(message: JSONRPCMessage, own: ServerBytes): JSONRPCMessage {
    const isNotification = !('id' in message);
    const limit = isNotification ? MAX_NOTIFICATION_STRING_CHARS : MAX_STRING_CHARS;
    // Fast path for the common message: when the redaction finds nothing in its serialised form, no string in it
    // would change either (tokens never cross a JSON string's quotes); when no string in it is longer than one may be
    // (certainly so when the whole is shorter) and the whole is within budget, it leaves as it is, unwalked.
    if (this.fastPathSafe) {
      const { probe, clearedBytes, passed } = this.cleared.probe(message);
      const text = JSON.stringify(probe);
      // Within the string limit, certainly within the budget, unless cleared parts add to it.
      const short = text.length <= limit;
      const withinBudget = (short && clearedBytes === 0) || Buffer.byteLength(text) + clearedBytes <= this.budgetBytes;
      if (redactSecrets(text, this.secrets) === text && withinBudget && (short || !hasStringLongerThan(probe, limit))) {
        passed();
        return message;
      }
    }
    const cleaned = this.clean(message, limit, own) as JSONRPCMessage;
    const size = Buffer.byteLength(JSON.stringify(cleaned));
    if (size <= this.budgetBytes) return cleaned;
    return this.overBudget(cleaned, size);
  }

  /** What this gate has passed before, and need not scan again (cleared-parts.ts). */
  private readonly cleared = new ClearedParts();

  /**
   * Wraps a server's transport so that everything it sends passes the gate first, and everything it receives is handled
   * as that server (`own`: the bytes it made, which alone pass whole).
   */
  guard<T extends Transport>(transport: T, own: ServerBytes): T {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => send(this.pass(message, own), options);
    // The SDK sets onmessage when it connects: whatever it is set to runs as this server.
    let receive: Transport['onmessage'];
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () => receive,
      set: (handler: Transport['onmessage']) => {
        receive = handler && ((...args) => asServer(own, () => handler(...args)));
      },
    });
    return transport;
  }

  private clean(value: unknown, limit: number, own: ServerBytes): unknown {
    if (typeof value === 'string') {
      // Only what this server registered as its own bytes where it made them (server-bytes.ts) leaves untouched.
      if (own.take(value)) return value;
      return truncate(redactSecrets(value, this.secrets), limit);
    }
    if (Array.isArray(value)) return value.map((item) => this.clean(item, limit, own));
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(object))
        out[redactSecrets(truncate(name, 256), this.secrets)] = this.clean(item, limit, own);
      return out;
    }
    return value;
  }

  /** A message that is still too big: a result becomes an error that says why; anything else is cut down. */
  private overBudget(message: JSONRPCMessage, size: number): JSONRPCMessage {
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    return withheld(message, {
      result:
        `The reply would be ${mib(size)}, over the ${mib(this.budgetBytes)} this server sends in one message, so it was withheld. ` +
        'The provider probably answered with an unusually large object. Ask for less (a smaller list limit), or check the provider.',
      progress: 'progress details withheld (too large)',
      log: `a log message of ${mib(size)} was withheld (too large)`,
    });
  }
}

/** Whether any string in `value` (a key or a value) is longer than `limit`: a walk that only measures. */
function hasStringLongerThan(value: unknown, limit: number): boolean {
  if (typeof value === 'string') return value.length > limit;
  if (Array.isArray(value)) return value.some((item) => hasStringLongerThan(item, limit));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([name, item]) => name.length > 256 || hasStringLongerThan(item, limit));
  }
  return false;
}

/** What leaves instead of a message that could not be serialised at all (too large for a string, too deep, a cycle). */
function unsendable(message: JSONRPCMessage): JSONRPCMessage {
  return withheld(message, {
    result:
      'The reply could not be sent: it was too large or too deeply nested to serialise. The provider probably answered with an unusual object.',
    progress: 'progress details withheld',
    log: 'a log message was withheld',
  });
}

/**
 * The short message that leaves instead of one that cannot: a result becomes an `isError` saying why (naming the video it
 * was about), an error keeps its code and its bounded message, a progress notification its token and numbers, and anything
 * else becomes a log line saying what was withheld. It reads only fields that are strings or numbers.
 */
function withheld(message: JSONRPCMessage, why: { result: string; progress: string; log: string }): JSONRPCMessage {
  if ('id' in message && 'result' in message) {
    const structured = (message.result as { structuredContent?: { id?: unknown } } | undefined)?.structuredContent;
    const job = typeof structured?.id === 'string' ? ` (video ${truncate(structured.id, 200)})` : '';
    return { jsonrpc: '2.0', id: message.id, result: { isError: true, content: [{ type: 'text', text: `${why.result}${job}` }] } };
  }
  if ('id' in message && 'error' in message) {
    const text = truncate(String(message.error.message), MAX_STRING_CHARS);
    return { jsonrpc: '2.0', id: message.id, error: { code: message.error.code, message: text } };
  }
  const params = (('params' in message ? message.params : undefined) ?? {}) as Record<string, unknown>;
  if ('method' in message && message.method === 'notifications/progress') {
    const { progressToken, progress, total } = params;
    return { jsonrpc: '2.0', method: message.method, params: { progressToken, progress, total, message: why.progress } };
  }
  const level = typeof params.level === 'string' ? params.level : 'warning';
  return { jsonrpc: '2.0', method: 'notifications/message', params: { level, data: why.log } };
}

/** Cuts a long string, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}
