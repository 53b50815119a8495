import type { TestRunner } from '../../src/testing';

/** Jest's globals, as the contract kits take them. */
export const jestRunner: TestRunner = { describe, it, beforeEach, afterEach };
