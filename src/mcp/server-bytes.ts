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
 */
const made = new Map<string, number>();
let heldChars = 0;
/** Values not taken (a result dropped on the way out, or a small one that left by the gate's fast path) are forgotten oldest first past these. */
const MAX_HELD_CHARS = 64 * 1024 * 1024;
const MAX_HELD_VALUES = 1024;

/** Registers the string values of `fields` of `holder` as the server's own bytes, and returns `holder`. */
export function serverBytes<T extends object>(holder: T, ...fields: (keyof T & string)[]): T {
  for (const field of fields) {
    const value = holder[field];
    if (typeof value !== 'string' || value.length === 0) continue;
    made.set(value, (made.get(value) ?? 0) + 1);
    heldChars += value.length;
  }
  while ((heldChars > MAX_HELD_CHARS || made.size > MAX_HELD_VALUES) && made.size > 0) forget(made.keys().next().value as string);
  return holder;
}

/** Whether the exit gate may pass `value` untouched; each registration lets it pass once. */
export function takeServerBytes(value: string): boolean {
  if (!made.has(value)) return false;
  forget(value);
  return true;
}

function forget(value: string): void {
  const count = made.get(value);
  if (count === undefined) return;
  heldChars -= value.length;
  if (count > 1) made.set(value, count - 1);
  else made.delete(value);
}
