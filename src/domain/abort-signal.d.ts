/**
 * The one host type the core may name: an abort signal, as a type only. Node and browsers both
 * provide it; the core's own tsconfig (tsconfig.core.json, `"types": []`, no DOM) has no other
 * globals, so `Buffer`, `process`, timers and `fetch` do not compile in domain/ or application/, and
 * neither does `AbortSignal.any()` or `AbortSignal.timeout()`: deadlines come from the Clock port.
 */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
