import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What dependency-cruiser cannot see: globals that would tie the inner layers to the process. */
describe('inner layers (domain, application)', () => {
  const files = ['domain', 'application'].flatMap((layer) => listTs(path.resolve(__dirname, '../../src', layer)));

  it('exist', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(['process.', 'require(', 'console.', 'setTimeout('])('never use %s', (needle) => {
    const offenders = files.filter((file) => readFileSync(file, 'utf8').includes(needle));
    expect(offenders).toEqual([]);
  });
});

function listTs(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listTs(path.join(folder, entry.name)) : entry.name.endsWith('.ts') ? [path.join(folder, entry.name)] : [],
  );
}

describe('the whole of src', () => {
  const files = listTs(path.resolve(__dirname, '../../src'));

  it('never starts a process or a shell, so no caller text can reach one', () => {
    const offenders = files.filter((file) => /child_process|\bexecSync\b|\bspawn\(|shell:\s*true/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('writes to stdout only from the protocol transport and the CLI (stdout is the protocol)', () => {
    const allowed = [`${path.sep}cli${path.sep}`, `${path.sep}mcp${path.sep}bounded-stdio-transport.ts`];
    const offenders = files.filter(
      (file) => !allowed.some((part) => file.includes(part)) && /console\.(log|info|debug)\(|process\.stdout/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
