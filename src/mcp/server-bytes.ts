import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Bytes this server made itself (an image it read back from its own store, a chunk for its own view,
 * the view's HTML from the build), registered where they are made. The exit gate leaves exactly these
 * values whole (base64 is bounded by its own caps, and a redaction or a cut would break it); every other
 * string, whatever its key is called, is redacted and bounded. Nothing is recognised by a key's name,
 * so a provider's `{"debug": {"blob": "<the key>"}}` is redacted like any other field.
 *
 * The registry holds values, not objects: the MCP SDK re-parses a tool's result before it is sent, so
 * the objects the presenter made are not the ones the gate sees, but their strings are the same. A
 * provider cannot send one of these values unless it already has the bytes they encode.
 *
 * Each MCP server (one per stateless HTTP request, one per stdio connection) has its own registry, so
 * what one request registered never lets a string through another's answer.
 */
export class ServerBytes {
  private readonly made = new Map<string, number>();
  private heldChars = 0;

  register(value: string): void {
    if (value.length === 0) return;
    this.made.set(value, (this.made.get(value) ?? 0) + 1);
    this.heldChars += value.length;
    while ((this.heldChars > MAX_HELD_CHARS || this.made.size > MAX_HELD_VALUES) && this.made.size > 0) {
      this.forget(this.made.keys().next().value as string);
    }
  }

  /** Whether the exit gate may pass `value` untouched; each registration lets it pass once. */
  take(value: string): boolean {
    if (!this.made.has(value)) return false;
    this.forget(value);
    return true;
  }

  private forget(value: string): void {
    const count = this.made.get(value);
    if (count === undefined) return;
    this.heldChars -= value.length;
    if (count > 1) this.made.set(value, count - 1);
    else this.made.delete(value);
  }
}

/** Values not taken (a result dropped on the way out, or a small one that left by the gate's fast path) are forgotten oldest first past these. */
const MAX_HELD_CHARS = 64 * 1024 * 1024;
const MAX_HELD_VALUES = 1024;

/** The registry of the server whose message is being handled: set around each message its transport receives. */
const current = new AsyncLocalStorage<ServerBytes>();

/** Runs `handle` (and everything it starts) as the server owning `bytes`. */
export function asServer<T>(bytes: ServerBytes, handle: () => T): T {
  return current.run(bytes, handle);
}

/**
 * Registers the string values of `fields` of `holder` as the running server's own bytes, and returns `holder`. Outside
 * any server (a unit test of the presenter) nothing is registered, and the gate treats the values like any other.
 */
export function serverBytes<T extends object>(holder: T, ...fields: (keyof T & string)[]): T {
  const bytes = current.getStore();
  if (!bytes) return holder;
  for (const field of fields) {
    const value = holder[field];
    if (typeof value === 'string') bytes.register(value);
  }
  return holder;
}
