import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh real folder per test, removed afterwards. */
export function tempFolder(prefix = 'sora2-mcp-test-'): { path: string; remove(): void } {
  const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { path: folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export async function* chunks(...parts: (Buffer | Error)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await new Promise((resolve) => setImmediate(resolve));
    if (part instanceof Error) throw part;
    yield part;
  }
}
