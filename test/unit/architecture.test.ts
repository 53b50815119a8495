import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * What dependency-cruiser cannot see: host globals. The compiler keeps them out of the core
 * (tsconfig.core.json: no Node types, no DOM lib), and this proves that it does: a use case that
 * touches any of them does not compile, while the real core does.
 */
describe('inner layers (domain, application) under tsconfig.core.json', () => {
  const root = path.resolve(__dirname, '../..');
  const files = ['domain', 'application'].flatMap((layer) => listTs(path.join(root, 'src', layer)));
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(path.join(root, 'tsconfig.core.json'), (file) => ts.sys.readFile(file)).config,
    ts.sys,
    root,
  );

  /** Type-checks the core plus one extra use case file with `body`; returns the errors in that file. */
  function compileWith(body: string): string[] {
    const probe = path.join(root, 'src', 'application', '__probe__.ts');
    const host = ts.createCompilerHost(parsed.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) =>
      path.resolve(file) === probe ? `export class Probe {\n  run(): unknown {\n    ${body}\n  }\n}\n` : readFile(file);
    host.fileExists = (
      (exists) => (file: string) =>
        path.resolve(file) === probe || exists(file)
    )(host.fileExists.bind(host));
    const program = ts.createProgram([...parsed.fileNames, probe], parsed.options, host);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && path.resolve(diagnostic.file.fileName) === probe)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
  }

  it('hold every source file of domain/, application/ and codecs/ (a folder left out of the check would not be proved pure)', () => {
    const core = ['domain', 'application', 'codecs'].flatMap((folder) => listTs(path.join(root, 'src', folder)));
    const checked = parsed.fileNames
      .map((file) => path.resolve(file))
      .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`));
    expect(checked.sort()).toEqual(core.map((file) => path.resolve(file)).sort());
  });

  it('compile as they are', () => {
    expect(compileWith('return new Uint8Array(4);')).toEqual([]);
  });

  it.each([
    ['Buffer', 'return Buffer.alloc(4);'],
    ['setTimeout', 'return setTimeout(() => undefined, 10);'],
    ['setInterval', 'return setInterval(() => undefined, 10);'],
    ['process', 'return process.env.HOME;'],
    ['fetch', "return fetch('https://example.com');"],
    ['AbortSignal.timeout', 'return AbortSignal.timeout(10);'],
    ['require', "return require('node:fs');"],
    ['console', "return console.log('x');"],
  ])('refuse a use case that touches %s', (_name, body) => {
    expect(compileWith(body).length).toBeGreaterThan(0);
  });

  it('read time only through the Clock port (Date.now is plain ECMAScript, so it is found by name)', () => {
    const offenders = files.filter((file) => /Date\.now\(|new Date\(/.test(readFileSync(file, 'utf8')));
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

  it('starts a process only in the ffmpeg adapter, with an argument array and never a shell, so no caller text can reach one', () => {
    const ffmpeg = path.join('adapters', 'ffmpeg', 'ffmpeg-video-editor.ts');
    const offenders = files.filter(
      (file) => !file.endsWith(ffmpeg) && /child_process|\bexecSync\b|\bspawn\(|shell:\s*true/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
    // ADR 0020: one spawn, of a program found at start-up, with an argument array; no exec, no shell option.
    const source = readFileSync(
      files.find((file) => file.endsWith(ffmpeg))!,
      'utf8',
    );
    expect(source.match(/\bspawn\(/g)).toHaveLength(1);
    expect(source).toMatch(/spawn\(program, args, \{ stdio: /);
    expect(source).not.toMatch(/\bexec(Sync|File|FileSync)?\(|shell:/);
  });

  it('writes to stdout only from the protocol transport and the CLI (stdout is the protocol)', () => {
    const allowed = [`${path.sep}apps${path.sep}cli.ts`, `${path.sep}mcp${path.sep}bounded-stdio-transport.ts`];
    const offenders = files.filter(
      (file) =>
        !allowed.some((part) => file.includes(part)) && /console\.(log|info|debug)\(|process\.stdout/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
