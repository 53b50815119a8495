import type { Readable, Writable } from 'node:stream';
import { ENV } from '../config/variables';
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';

/** Largest JSON-RPC line accepted: room for a 20 MiB reference image as base64, with JSON around it. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** How much of an oversized line is kept, at each end, to find its request id. */
const KEEP_BYTES = 64 * 1024;

/**
 * Newline-delimited JSON-RPC over stdio, like the SDK's StdioServerTransport, except for one thing:
 * a line longer than the limit does not close the connection (the SDK's transport does, which ends
 * the whole session). The line is skipped without buffering it, and the request it carried gets a
 * JSON-RPC error that says what to do instead, so the client neither loses the server nor hangs.
 */
export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while skipping an oversized line: its first and (rolling) last bytes. */
  private skipping: { head: Buffer; tail: Buffer; bytes: number } | undefined;
  private drained: Promise<void> | undefined;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
    this.input.on('end', this.onEnd);
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.input.off('end', this.onEnd);
    if (this.input.listenerCount('data') === 0) this.input.pause();
    this.chunks = [];
    this.size = 0;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.output.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    // One wait for drain shared by every blocked send, so many of them add one listener, not many.
    this.drained ??= new Promise<void>((resolve) =>
      this.output.once('drain', () => {
        this.drained = undefined;
        resolve();
      }),
    );
    return this.drained;
  }

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onEnd = (): void => {
    void this.close();
  };

  private readonly onData = (chunk: Buffer): void => {
    let rest = chunk;
    for (let newline = rest.indexOf(0x0a); newline >= 0; newline = rest.indexOf(0x0a)) {
      this.take(rest.subarray(0, newline));
      this.finishLine();
      rest = rest.subarray(newline + 1);
    }
    if (rest.length > 0) this.take(rest);
  };

  private take(part: Buffer): void {
    if (this.skipping) {
      this.skipping.tail = Buffer.concat([this.skipping.tail, part]).subarray(-KEEP_BYTES);
      this.skipping.bytes += part.length;
      return;
    }
    if (this.size + part.length > this.maxMessageBytes) {
      const pending = Buffer.concat([...this.chunks, part]);
      this.skipping = { head: pending.subarray(0, KEEP_BYTES), tail: pending.subarray(-KEEP_BYTES), bytes: pending.length };
      this.chunks = [];
      this.size = 0;
      return;
    }
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  private finishLine(): void {
    if (this.skipping) {
      const skipped = this.skipping;
      this.skipping = undefined;
      this.rejectOversized(skipped);
      return;
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    if (line.trim() === '') return;
    try {
      this.onmessage?.(parseJSONRPCMessage(JSON.parse(line)));
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private rejectOversized(skipped: { head: Buffer; tail: Buffer; bytes: number }): void {
    const id = requestId(skipped.tail.toString('utf8')) ?? requestId(skipped.head.toString('utf8'));
    const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const message =
      `The request is ${megabytes(skipped.bytes)}, more than the ${megabytes(this.maxMessageBytes)} this server accepts in one message. ` +
      `Pass a large input_reference as the path of a file inside ${ENV.roots.name} or as an http(s) URL instead of inline base64.`;
    this.onerror?.(new Error(message));
    if (id !== undefined) void this.send({ jsonrpc: '2.0', id, error: { code: -32600, message } });
  }
}

/** The `id` of a JSON-RPC request, from the start or the end of its text (clients put it at either). */
function requestId(text: string): string | number | undefined {
  const match =
    /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(text.slice(-2048)) ??
    /^\s*\{\s*(?:"[^"]*"\s*:\s*"[^"]*"\s*,\s*)*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(text);
  if (!match) return undefined;
  return match[1]!.startsWith('"') ? (JSON.parse(match[1]!) as string) : Number(match[1]);
}
