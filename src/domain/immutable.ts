/**
 * Values made once and served many times (the models answer, for one): frozen all the way down, so nothing that
 * receives one can change it, and remembered as such, so that a check it passed once (its output schema, the exit
 * gate's scan) need not run again for the same object.
 */
const deeplyFrozen = new WeakSet<object>();

/** Freezes `value` and everything it holds, and returns it. */
export function freezeDeep<T>(value: T): T {
  if (typeof value !== 'object' || value === null || deeplyFrozen.has(value)) return value;
  for (const item of Object.values(value)) freezeDeep(item);
  Object.freeze(value);
  deeplyFrozen.add(value);
  return value;
}

/** Whether `value` was frozen by `freezeDeep`: neither it nor anything in it can have changed since. */
export function isFrozenDeep(value: unknown): boolean {
  return typeof value === 'object' && value !== null && deeplyFrozen.has(value);
}
