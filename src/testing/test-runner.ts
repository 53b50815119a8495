/** A test body (always async; runners may pass a context argument, which the kits ignore). */
export type TestBody = () => Promise<void>;

interface TestFunction {
  (name: string, body: TestBody): unknown;
  skip?: (name: string, body: TestBody) => unknown;
}

/**
 * The four functions the contract kits register their cases with. Jest's globals and `node:test`'s
 * exports both fit: `{ describe, it, beforeEach, afterEach }`. Assertions are `node:assert`, which
 * every runner reports as a failure.
 */
export interface TestRunner {
  describe: (name: string, body: () => void) => unknown;
  it: TestFunction;
  beforeEach: (body: () => Promise<void>) => unknown;
  afterEach: (body: () => Promise<void>) => unknown;
}

/**
 * Registers a case the subject does not offer as skipped; a runner that cannot skip gets a case that says so by its name
 * (never a case dropped without a word).
 */
export function skipped(runner: TestRunner, name: string, body: TestBody): void {
  if (runner.it.skip) runner.it.skip(name, body);
  else runner.it(`${name} (not run: the subject does not offer it)`, async () => undefined);
}

/** Gives each case of the current `describe` a fresh subject from `make` (handed to `use`) and closes it after the case. */
export function freshForEachCase<H extends { close(): Promise<void> }>(
  runner: TestRunner,
  make: () => Promise<H>,
  use: (made: H) => void,
): void {
  let current: H | undefined;
  runner.beforeEach(async () => {
    current = await make();
    use(current);
  });
  runner.afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}
