import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempFolder } from '../support/temp';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * The packed tarball, unpacked into a scratch project's node_modules exactly as npm would place it.
 * The scratch project sits under the repository (in .tmp), so the package's own dependencies resolve
 * from the repository's node_modules: the tests run offline, where `npm install` cannot fetch them.
 */
let scratch: string;

beforeAll(async () => {
  scratch = path.join(ROOT, '.tmp', `library-consumer-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(path.join(scratch, 'node_modules'), { recursive: true });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT });
  const tarball = (JSON.parse(stdout) as { filename: string }[])[0]!.filename;
  await run('tar', ['-xzf', path.join(scratch, path.basename(tarball)), '-C', scratch]);
  renameSync(path.join(scratch, 'package'), path.join(scratch, 'node_modules', 'sora2-mcp'));
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('sora2-mcp as a library, from the packed tarball', () => {
  it('starts nothing when required: the process ends by itself with stdin open and writes nothing', async () => {
    const child = spawn(process.execPath, ['-e', "const m = require('sora2-mcp'); process.stderr.write(Object.keys(m).sort().join(','))"], {
      cwd: scratch,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr.split(',')).toEqual(expect.arrayContaining(['createSora2Server', 'loadConfig', 'DomainError', 'isDomainError']));
  });

  it('compiles a TypeScript consumer of createSora2Server and the port types, whose own store receives the downloads', async () => {
    writeFileSync(path.join(scratch, 'consumer.ts'), CONSUMER);
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          // As `tsc --init` sets it: the MCP SDK's own declarations do not check under node16 without it.
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
          outDir: 'out',
        },
        files: ['consumer.ts'],
      }),
    );
    await run(process.execPath, [TSC, '-p', scratch], { cwd: scratch }).catch((error: Error & { stdout?: string }) => {
      throw new Error(`the consumer did not compile:\n${error.stdout ?? error.message}`);
    });
    expect(readdirSync(path.join(scratch, 'out'))).toContain('consumer.js');
    const { stdout } = await run(process.execPath, [path.join(scratch, 'out', 'consumer.js')], { cwd: scratch });
    const report = JSON.parse(stdout) as { isError: boolean; stored: { key: string; bytes: number; head: string }[]; links: string[] };
    expect(report.isError).toBe(false);
    // The consumer's own store got the verified MP4 (ftyp box at offset 4) and handed out its own URI.
    expect(report.stored).toEqual([{ key: expect.stringMatching(/^video_\w+\.mp4$/), bytes: expect.any(Number), head: 'ftyp' }]);
    expect(report.links).toEqual([expect.stringMatching(/^mine:\/\/video_\w+\.mp4$/)]);
    // The same store, as the docs show it, passes every case of the store contract.
    const contract = path.join(scratch, 'my-store.contract.test.cjs');
    writeFileSync(
      contract,
      "const test = require('node:test');\n" +
        "const { mediaStoreContract } = require('sora2-mcp/testing');\n" +
        "const { MyStore } = require('./out/consumer.js');\n" +
        "mediaStoreContract(test, 'MyStore', async () => ({ store: new MyStore(), close: async () => {} }));\n",
    );
    const tap = await run(process.execPath, ['--test', '--test-reporter=tap', contract], { cwd: scratch }).then(
      ({ stdout }) => stdout,
      (error: { stdout: string }) => error.stdout,
    );
    expect(tap.match(/^not ok .*/gm) ?? []).toEqual([]);
    expect(Number(/^# pass (\d+)$/m.exec(tap)?.[1])).toBeGreaterThanOrEqual(11);
  }, 60_000);
});

/**
 * A TypeScript project outside the repository (nothing resolves from its node_modules) holding the packed package, the
 * packages named (copied, not linked, so that what they import resolves in the consumer's folder alone), `source` as
 * consumer.ts, and a strict NodeNext tsconfig without skipLibCheck.
 */
function strictConsumer(name: string, packages: readonly string[], source: string) {
  const project = tempFolder(`sora2-mcp-${name}-`);
  mkdirSync(path.join(project.path, 'node_modules', '@modelcontextprotocol'), { recursive: true });
  cpSync(path.join(scratch, 'node_modules', 'sora2-mcp'), path.join(project.path, 'node_modules', 'sora2-mcp'), { recursive: true });
  for (const dependency of packages) {
    cpSync(path.join(ROOT, 'node_modules', dependency), path.join(project.path, 'node_modules', dependency), { recursive: true });
  }
  writeFileSync(path.join(project.path, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  writeFileSync(path.join(project.path, 'consumer.ts'), source);
  writeFileSync(
    path.join(project.path, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], noEmit: true },
      files: ['consumer.ts'],
    }),
  );
  return project;
}

describe('sora2-mcp from native ESM and from a strict NodeNext TypeScript project', () => {
  it('imports both entries with named exports, the same objects require returns', async () => {
    writeFileSync(
      path.join(scratch, 'esm.mjs'),
      `import { createRequire } from 'node:module';
import { createSora2Server, DomainError, loadConfig } from 'sora2-mcp';
import { InMemoryVideoProvider, mediaStoreContract, videoProviderContract } from 'sora2-mcp/testing';
const require = createRequire(import.meta.url);
const same = require('sora2-mcp').createSora2Server === createSora2Server && require('sora2-mcp/testing').InMemoryVideoProvider === InMemoryVideoProvider;
const names = [createSora2Server, DomainError, loadConfig, InMemoryVideoProvider, mediaStoreContract, videoProviderContract].map((x) => typeof x);
process.stdout.write(JSON.stringify({ same, names }));
`,
    );
    const { stdout } = await run(process.execPath, [path.join(scratch, 'esm.mjs')], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual({ same: true, names: Array(6).fill('function') });
  });

  it('type-checks for NodeNext, strict, without skipLibCheck, with only the SDK and @types/node the README names installed beside it', async () => {
    // Outside the repository, so nothing resolves from its node_modules: only the package and the SDK are there.
    const project = strictConsumer(
      'strict-consumer',
      // The SDK with its dependencies, and Node's types (its declarations name Buffer and node:stream; its README asks for
      // @types/node and "types": ["node"]).
      ['@modelcontextprotocol/server', '@modelcontextprotocol/core', 'zod', '@types/node', 'undici-types'],
      `import { createSora2Server, DomainError, loadConfig, type AppConfig, type MediaStore, type VideoProvider } from 'sora2-mcp';
import { FakeClock, InMemoryMediaStore, InMemoryVideoProvider, videoProviderContract } from 'sora2-mcp/testing';
const config: AppConfig = loadConfig({ SORA2_MCP_PROVIDER: 'simulator' });
const provider: VideoProvider = new InMemoryVideoProvider();
const store: MediaStore = new InMemoryMediaStore();
const sora2 = createSora2Server({ config, overrides: { videoProvider: provider, mediaStore: store, clock: new FakeClock() } });
const server = sora2.createMcpServer();
export const used = [sora2.serveStdio, server.isConnected(), DomainError, videoProviderContract, config.roots[0]];
`,
    );
    try {
      const listed = await run(process.execPath, [TSC, '-p', project.path, '--listFilesOnly'], { cwd: project.path });
      await run(process.execPath, [TSC, '-p', project.path], { cwd: project.path }).catch((error: Error & { stdout?: string }) => {
        throw new Error(`the strict consumer did not compile:\n${error.stdout ?? error.message}`);
      });
      // What the declarations reach: the package itself, the SDK and the SDK's own dependencies; no other package.
      const sdk = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'server', 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      const allowed = ['sora2-mcp', '@modelcontextprotocol/server', ...Object.keys(sdk.dependencies), '@types/node', 'undici-types'];
      const packages = new Set(
        listed.stdout
          .split('\n')
          .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1])
          .filter((name): name is string => name !== undefined && name !== 'typescript'),
      );
      expect([...packages].filter((name) => !allowed.includes(name))).toEqual([]);
      expect(packages).toContain('sora2-mcp');
    } finally {
      project.remove();
    }
  }, 60_000);

  it("compiles the README's library snippet as it stands, strict NodeNext, with what the README says to install", async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it as a library'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    // What the README's install lines name, and what they bring with them.
    const project = strictConsumer(
      'readme-consumer',
      [
        '@modelcontextprotocol/server',
        '@modelcontextprotocol/core',
        '@modelcontextprotocol/node',
        'zod',
        'hono',
        '@hono/node-server',
        '@types/node',
        'undici-types',
      ],
      snippet!,
    );
    try {
      await run(process.execPath, [TSC, '-p', project.path], { cwd: project.path }).catch((error: Error & { stdout?: string }) => {
        throw new Error(`the README's snippet did not compile:\n${error.stdout ?? error.message}`);
      });
    } finally {
      project.remove();
    }
  }, 60_000);
});

describe('the contract kits under node:test, from the packed tarball', () => {
  async function nodeTest(source: string): Promise<{ code: number; pass: number; fail: number; output: string }> {
    const file = path.join(scratch, `kits-${Math.random().toString(16).slice(2)}.test.cjs`);
    writeFileSync(file, source);
    const result = await run(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: scratch }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(result.stdout)?.[1] ?? NaN);
    return { code: result.code, pass: count('pass'), fail: count('fail'), output: result.stdout };
  }

  it('passes both contracts with the in-memory fakes', async () => {
    const result = await nodeTest(`
      const test = require('node:test');
      const kits = require('sora2-mcp/testing');
      kits.mediaStoreContract(test, 'InMemoryMediaStore', async () => ({ store: new kits.InMemoryMediaStore(), close: async () => {} }));
      kits.videoProviderContract(test, 'InMemoryVideoProvider', async () => ({
        provider: new kits.InMemoryVideoProvider(), tick: async () => {}, close: async () => {},
      }));
    `);
    expect(result).toMatchObject({ code: 0, fail: 0 });
    expect(result.pass).toBeGreaterThanOrEqual(18);
  });

  it('fails a store that clobbers, naming the case', async () => {
    const result = await nodeTest(`
      const test = require('node:test');
      const kits = require('sora2-mcp/testing');
      class Clobbering extends kits.InMemoryMediaStore {
        async write(names, content, options = {}) { return super.write(names, content, { ...options, replace: true }); }
      }
      kits.mediaStoreContract(test, 'Clobbering', async () => ({ store: new Clobbering(), close: async () => {} }));
    `);
    expect(result.code).not.toBe(0);
    expect(result.fail).toBeGreaterThanOrEqual(1);
    expect(result.output).toMatch(/not ok \d+ - never clobbers/);
  });
});

/** A library user's program: its own MediaStore, the published fakes for the provider and the clock. */
const CONSUMER = `
import { createSora2Server, DomainError, isDomainError, type ByteRange, type MediaContent, type MediaStore, type NameState, type StoredMedia, type WriteOptions } from 'sora2-mcp';
import { FakeClock, InMemoryVideoProvider } from 'sora2-mcp/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';

/** The docs' example store (docs/extending.md): complete, and run through the store contract below. */
export class MyStore implements MediaStore {
  readonly objects = new Map<string, Buffer>();
  private readonly types = new Map<string, string>();
  // Names come from the server's naming policy: the store only places bytes under them and reports a clash.
  async inspect(name: string): Promise<NameState> {
    const key = this.key(name);
    if (this.objects.has(key)) return 'taken';
    return [...this.objects.keys()].some((held) => held.startsWith(key + '/')) ? 'folder' : 'free';
  }
  async write(names: Iterable<string>, content: MediaContent, options: WriteOptions = {}): Promise<StoredMedia> {
    const candidates = [...names].map((name) => this.key(name));
    const key = options.replace ? candidates[0] : candidates.find((name) => !this.objects.has(name));
    if (key === undefined) throw new DomainError('file_exists', candidates[0] + ' exists', { field: 'file', details: { path: candidates[0] } });
    const parts: Buffer[] = [];
    try {
      for await (const part of content.body) {
        if (options.signal?.aborted) throw new DomainError('cancelled', 'the write was cancelled');
        parts.push(Buffer.from(part));
      }
    } catch (error) {
      if (isDomainError(error)) throw error;
      throw new DomainError('download_failed', 'the body broke off', { retryable: true, cause: error });
    }
    const bytes = Buffer.concat(parts);
    if (content.contentLength !== undefined && bytes.length < content.contentLength) {
      throw new DomainError('download_failed', 'fewer bytes arrived than announced', { retryable: true });
    }
    // Placed only when whole: a failed write leaves nothing, and an item being replaced stays until then.
    this.objects.set(key, bytes);
    this.types.set(key, content.contentType);
    return this.describe(key);
  }
  async find(uri: string): Promise<StoredMedia | undefined> {
    const key = uri.startsWith('mine://') ? uri.slice('mine://'.length) : undefined;
    return key !== undefined && this.objects.has(key) ? this.describe(key) : undefined;
  }
  async open(uri: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const found = await this.find(uri);
    if (!found) throw new DomainError('not_found', uri + ' is not in this store');
    const bytes = this.objects.get(uri.slice('mine://'.length))!;
    const slice = range ? bytes.subarray(range.offset, range.offset + range.length) : bytes;
    return (async function* () {
      yield slice;
    })();
  }
  /** A name inside this store's space, or the refusal the contract asks for. */
  private key(name: string): string {
    const parts = name.split('/');
    if (name.startsWith('/') || parts.includes('..')) throw new DomainError('path_outside_roots', name + ' is outside this store', { field: 'file' });
    if (parts.some((part) => part.startsWith('.'))) throw new DomainError('invalid_input', name + ' is in a hidden folder', { field: 'file' });
    return name;
  }
  private describe(key: string): StoredMedia {
    const bytes = this.objects.get(key)!;
    return { uri: 'mine://' + key, name: key.split('/').pop()!, location: 'mine:' + key, mimeType: this.types.get(key)!, sizeBytes: bytes.length };
  }
}

async function main(): Promise<void> {
  const store = new MyStore();
  // The types are real, not \`any\`: a wrong override does not compile (else this directive is unused, an error).
  // @ts-expect-error a number is not a MediaStore
  createSora2Server({ overrides: { mediaStore: 42 } });
  const sora2 = createSora2Server({ overrides: { videoProvider: new InMemoryVideoProvider(), mediaStore: store, clock: new FakeClock() } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await sora2.connect(serverSide);
  const client = new Client({ name: 'consumer', version: '1.0.0' });
  await client.connect(clientSide);
  const result = await client.callTool({
    name: 'openai-videos-create',
    arguments: { prompt: 'a library user', wait_for_completion: true },
  });
  const content = result.content as { type: string; uri?: string }[];
  await client.close();
  await sora2.close();
  process.stdout.write(
    JSON.stringify({
      isError: result.isError === true,
      stored: [...store.objects].map(([key, bytes]) => ({ key, bytes: bytes.length, head: bytes.subarray(4, 8).toString('latin1') })),
      links: content.filter((block) => block.type === 'resource_link').map((block) => block.uri),
    }),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(String(error) + '\\n');
    process.exitCode = 1;
  });
}
`;
