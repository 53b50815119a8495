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
