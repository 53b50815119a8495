import { isFrozenDeep } from '../domain/immutable';
import { MAX_STRING_CHARS } from './limits';

/**
 * What the exit gate has already scanned and passed, so that an answer served many times is scanned once: objects frozen
 * when made (`freezeDeep`: they cannot have changed since) and long strings (a value is the same value wherever it
 * appears). The SDK validates a tool's result into a fresh copy before it is sent, but the copy keeps the frozen parts
 * below its top levels and the strings themselves, so a result is probed to the depth of its content blocks' text.
 */
export class ClearedParts {
  private readonly objects = new WeakMap<object, number>();
  /**
   * Long strings passed, by their serialised size; the oldest are forgotten past MAX_STRINGS. Only strings within the
   * gate's own limit are kept, so one that stands as "" never hides a string the gate would have cut.
   */
  private readonly strings = new Map<string, number>();

  /**
   * `message` with its cleared parts replaced (a frozen object by null, a long string by ""), the serialised bytes they
   * stood for, and `passed`, to call if the probe passes the gate's scan: the parts it saw first are cleared then.
   */
  probe(message: object): { probe: unknown; clearedBytes: number; passed: () => void } {
    if (!('result' in message) || !('id' in message)) return { probe: message, clearedBytes: 0, passed: () => undefined };
    const seen = { bytes: 0, objects: [] as object[], strings: [] as string[] };
    const probe = this.strip(message, 0, seen);
    return {
      probe,
      clearedBytes: seen.bytes,
      passed: () => {
        for (const part of seen.objects) this.objects.set(part, Buffer.byteLength(JSON.stringify(part)));
        for (const text of seen.strings) this.remember(text);
      },
    };
  }

  private strip(value: unknown, depth: number, seen: { bytes: number; objects: object[]; strings: string[] }): unknown {
    if (typeof value === 'string') {
      if (value.length < LONG_STRING_CHARS || value.length > MAX_STRING_CHARS) return value;
      const bytes = this.strings.get(value);
      if (bytes === undefined) {
        seen.strings.push(value);
        return value;
      }
      seen.bytes += bytes;
      return '';
    }
    if (typeof value !== 'object' || value === null) return value;
    if (isFrozenDeep(value)) {
      const bytes = this.objects.get(value);
      if (bytes === undefined) {
        seen.objects.push(value);
        return value;
      }
      seen.bytes += bytes;
      return null;
    }
    // Below the content blocks' fields nothing is copied: what is there is scanned as it is.
    if (depth >= MAX_DEPTH) return value;
    if (Array.isArray(value)) return value.map((item) => this.strip(item, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) copy[name] = this.strip(item, depth + 1, seen);
    return copy;
  }

  private remember(text: string): void {
    this.strings.delete(text);
    this.strings.set(text, Buffer.byteLength(JSON.stringify(text)));
    if (this.strings.size > MAX_STRINGS) this.strings.delete(this.strings.keys().next().value as string);
  }
}

/** Strings shorter than this are cheaper to scan than to look up. */
const LONG_STRING_CHARS = 4 * 1024;
const MAX_STRINGS = 32;
/** message → result → content → block → text: the depth the walk copies to. */
const MAX_DEPTH = 4;
