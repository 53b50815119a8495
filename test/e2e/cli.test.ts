import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { FakeVideosServer } from '../support/fake-videos-server';
import { LlmGatewayFake } from '../support/gateways/llm-gateway';
import { OpenRouterFake } from '../support/gateways/openrouter';
import { LoopbackS3, TEST_S3_CREDENTIALS } from '../support/s3-server';
import { BUILT_SERVER, SCRATCH_HOME, serverEnv, startBuiltServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/** Runs the built binary; asynchronous, because the loopback provider lives in this process. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BUILT_SERVER, ...args], { env: serverEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A server started with a configuration it cannot read: what a client sees of it, and what it wrote to stderr. */
async function misconfigured(env: Record<string, string>) {
  const server = await startBuiltServer(env);
  try {
    const tools = (await server.client.listTools()).tools.map((tool) => tool.name);
    const result = (await server.client.callTool({ name: 'openai-videos-models', arguments: {} })) as {
      isError?: boolean;
      content: { type: string; text?: string }[];
    };
    expect(result.isError).toBe(true);
    return {
      tools,
      call: result.content.map((block) => block.text ?? '').join(''),
      instructions: server.client.getInstructions() ?? '',
      stderr: server.stderr(),
    };
  } finally {
    await server.close();
  }
}

describe('sora2-mcp command line', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    folder = tempFolder();
  });
  afterEach(() => folder.remove());

  it('prints --version and --help to stdout', async () => {
    const version = await cli(['--version'], {});
    expect(version).toMatchObject({ code: 0, stdout: `${require('../../package.json').version}\n` });
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('sora2-mcp doctor');
    expect(help.stdout).toContain('SORA2_MCP_API_KEY');
    expect((await cli(['frobnicate'], {})).code).toBe(2);
  });

  describe('doctor', () => {
    let provider: FakeVideosServer;
    beforeEach(async () => {
      provider = await FakeVideosServer.start();
    });
    afterEach(async () => provider.close());
    const good = () => ({ SORA2_MCP_API_KEY: provider.apiKey, OPENAI_BASE_URL: provider.baseURL, MEDIA_GEN_DIRS: folder.path });

    it('passes a good configuration, making one cheap call and never printing the key', async () => {
      const result = await cli(['doctor'], good());
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/✔ API key: set via SORA2_MCP_API_KEY/);
      expect(result.stdout).toMatch(/✔ provider reachable/);
      expect(result.stdout).toMatch(/✔ folder .*: writable/);
      expect(result.stdout).toContain('No problems found.');
      expect(result.stdout + result.stderr).not.toContain(provider.apiKey);
      // The models probe first (this spec-only fake has none), then one page of videos.
      expect(provider.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models', 'GET /v1/videos']);
    });

    it('says which ffmpeg the frame, join and sequence tools use, and why they are not offered without one', async () => {
      const found = await cli(['doctor'], good());
      expect(found.stdout).toMatch(
        /✔ ffmpeg: ffmpeg version \S+ .*\(\/\S*ffmpeg\); ffprobe at \/\S*ffprobe: the frame, join and sequence tools are offered/,
      );
      const missing = await cli(['doctor'], { ...good(), SORA2_MCP_FFMPEG: path.join(folder.path, 'no-ffmpeg') });
      expect(missing.stdout).toContain(`! ffmpeg: ${path.join(folder.path, 'no-ffmpeg')} (SORA2_MCP_FFMPEG) is not an executable file`);
      expect(missing.stdout).toMatch(/fix: install ffmpeg \(Debian\/Ubuntu: apt install ffmpeg/);
      // A warning: the other tools work.
      expect(missing.code).toBe(0);
    });

    it('probes an S3 store with a one-key listing, and names what to check when its bucket is missing', async () => {
      const s3 = await LoopbackS3.start();
      try {
        const ok = await cli(['doctor'], { ...good(), ...s3.env('team/') });
        expect(ok.code).toBe(0);
        expect(ok.stdout).toContain('✔ store reachable: s3://team-videos/team/ answers a listing');
        expect(ok.stdout + ok.stderr).not.toContain(TEST_S3_CREDENTIALS.secretAccessKey);
        const missing = await cli(['doctor'], { ...good(), ...s3.env('team/'), SORA2_MCP_STORE: 's3://no-such-bucket/team' });
        expect(missing.code).toBe(1);
        expect(missing.stdout).toMatch(/✖ store reachable: .*bucket was not found/);
        expect(missing.stdout).toContain('fix: check SORA2_MCP_STORE');
      } finally {
        await s3.close();
      }
    });

    it('recognises OpenRouter and checks the key with one cheap request, GET /key, without printing it', async () => {
      const gateway = await OpenRouterFake.start();
      try {
        const result = await cli(['doctor'], {
          ...good(),
          SORA2_MCP_API_KEY: gateway.apiKey,
          OPENAI_BASE_URL: gateway.baseURL,
          SORA2_MCP_DIALECT: 'openrouter',
          SORA2_MCP_BUDGET_USD: '20',
        });
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/✔ dialect: openrouter: OpenRouter's video API/);
        expect(result.stdout).toMatch(/✔ provider reachable: the key is accepted, \$12\.50 used, no limit/);
        expect(result.stdout).toMatch(/✔ spending caps: at most \$20\.00 per user per day \(SORA2_MCP_BUDGET_USD\)/);
        expect(result.stdout).toContain('jobs started elsewhere with the same key are not seen');
        expect(result.stdout).toMatch(/✔ ledger: embedded, in \S+ledger \(opened on the first create; local servers take it in turn\)/);
        expect(gateway.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/key']);
        expect(result.stdout).not.toContain(gateway.apiKey.slice(0, 14));
        expect(result.stdout).not.toContain(gateway.apiKey.slice(-6));
      } finally {
        await gateway.close();
      }
    });

    it('shows the models a gateway reports, without listing videos (LLM Gateway has no list)', async () => {
      const gateway = await LlmGatewayFake.start();
      try {
        const result = await cli(['doctor'], {
          ...good(),
          SORA2_MCP_API_KEY: gateway.apiKey,
          OPENAI_BASE_URL: gateway.baseURL,
          SORA2_MCP_REQUEST_FORMAT: 'json',
        });
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(
          /✔ provider reachable: the provider reports 3 model\(s\): veo-3.1-generate-preview, seedance-2-0, kling-v3-0-turbo/,
        );
        expect(gateway.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models']);
      } finally {
        await gateway.close();
      }
    });

    it.each([
      [
        'a wrong key',
        { SORA2_MCP_API_KEY: 'sk-wrong-key-abcdef123456' },
        /✖ provider reachable: Authentication failed[\s\S]*fix: check that the key belongs/,
      ],
      ['no key', { SORA2_MCP_API_KEY: '' }, /✖ API key: not set[\s\S]*fix: set SORA2_MCP_API_KEY/],
      ['an unreachable provider', { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, /✖ provider reachable: Could not reach/],
      [
        'a base URL that does not serve /v1/videos',
        { OPENAI_BASE_URL: 'BASE/nope' },
        /✖ provider reachable:[\s\S]*does not serve \/v1\/videos/,
      ],
      ['a folder that is a file', { MEDIA_GEN_DIRS: 'FILE' }, /✖ folder .*: not usable/],
      ['an Azure key', { AZURE_OPENAI_API_KEY: 'azure-key-value' }, /✖ Azure: AZURE_OPENAI_API_KEY is set/],
      ['a bad variable', { SORA2_MCP_LOG_LEVEL: 'loud' }, /✖ configuration: SORA2_MCP_LOG_LEVEL: "loud"/],
    ])('reports %s with a fix and exits non-zero', async (_name, overrides, expected) => {
      const file = path.join(folder.path, 'not-a-folder');
      writeFileSync(file, 'x');
      const env: Record<string, string> = { ...good() };
      for (const [key, value] of Object.entries(overrides)) {
        env[key] = value.replace('FILE', file).replace('BASE', provider.baseURL.replace(/\/v1$/, ''));
      }
      const result = await cli(['doctor'], env);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(expected);
      expect(result.stdout).not.toContain('sk-wrong-key-abcdef123456');
      expect(result.stdout).not.toContain('azure-key-value');
    });
  });

  it('doctor never prints secrets: base-URL credentials and query, extra header and query values', async () => {
    const provider = await FakeVideosServer.start();
    try {
      const base = provider.baseURL.replace('http://', 'http://gwuser:gw-pass-SECRET-1@') + '?token=url-SECRET-2';
      const result = await cli(['doctor'], {
        SORA2_MCP_API_KEY: provider.apiKey,
        OPENAI_BASE_URL: base,
        SORA2_MCP_EXTRA_HEADERS: '{"x-key":"hdr-SECRET-3"}',
        SORA2_MCP_EXTRA_QUERY: '{"sig":"qry-SECRET-4"}',
        MEDIA_GEN_DIRS: folder.path,
      });
      expect(result.stdout).toContain('base URL: http://[redacted]@127.0.0.1');
      expect(result.stdout + result.stderr).not.toMatch(/SECRET|gwuser/);
    } finally {
      await provider.close();
    }
  });

  it.each([
    ['a regular file', (file: string) => file, /MEDIA_GEN_DIRS: ".*not-a-folder" is a file/],
    [
      'a folder that cannot be created',
      (file: string) => `${file}/sub`,
      /MEDIA_GEN_DIRS: ".*not-a-folder\/sub" is a file \(or goes through one\)/,
    ],
  ])('answers every call with the error when a MEDIA_GEN_DIRS entry is %s, naming it', async (_name, entry, expected) => {
    const file = path.join(folder.path, 'not-a-folder');
    writeFileSync(file, 'x');
    const said = await misconfigured({ MEDIA_GEN_DIRS: `${folder.path},${entry(file)}` });
    expect(said.stderr).toMatch(expected);
    expect(said.call).toMatch(expected);
  });

  it('names a bad --port value', async () => {
    const result = await cli(['simulator', '--port', 'abc'], { MEDIA_GEN_DIRS: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port "abc" is not a port number');
  });

  it('lets an explicit SORA2_MCP_PROVIDER=simulator win over AZURE_OPENAI_API_KEY, in doctor and in the server', async () => {
    const env = { SORA2_MCP_PROVIDER: 'simulator', AZURE_OPENAI_API_KEY: 'azure-key-value', MEDIA_GEN_DIRS: folder.path };
    const doctor = await cli(['doctor'], env);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain('provider simulator');
    expect(doctor.stdout).toContain('ignored: SORA2_MCP_PROVIDER=simulator was chosen');
    expect(doctor.stdout).not.toMatch(/API key: not set/);
    const server = await startBuiltServer(env);
    try {
      const created = (await server.client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'simulated despite azure' },
      })) as { isError?: boolean };
      expect(created.isError).toBeFalsy();
      expect(server.stderr()).toContain('ready: provider simulator');
      expect(server.stderr()).not.toContain('missing');
    } finally {
      await server.close();
    }
  });

  it('refuses to serve the simulator beyond loopback without a key', async () => {
    const result = await cli(['simulator', '--host', '0.0.0.0', '--port', '0'], { MEDIA_GEN_DIRS: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to listen on 0.0.0.0 without a key');
  });

  it('serves the simulator over HTTP for any OpenAI SDK program', async () => {
    const child = spawn(process.execPath, [BUILT_SERVER, 'simulator', '--port', '0'], {
      env: { PATH: process.env.PATH ?? '', MEDIA_GEN_DIRS: folder.path, SORA2_MCP_SIMULATOR_RENDER_MS: '200' },
    });
    try {
      const baseURL = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`simulator exited: ${stdout}`)));
      });
      const client = new OpenAI({ apiKey: 'sk-anything', baseURL, maxRetries: 0 });
      let video = await client.videos.create({ prompt: 'an OpenAI SDK program', seconds: '4' });
      while (video.status !== 'completed') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        video = await client.videos.retrieve(video.id);
      }
      const content = await client.videos.downloadContent(video.id, { variant: 'video' });
      expect(content.headers.get('content-type')).toBe('video/mp4');
      expect((await content.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const page = await client.videos.list({ limit: 1 });
      expect(page.data[0]!.id).toBe(video.id);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it.each([
    ['a FIFO', (dir: string) => (execFileSync('mkfifo', [path.join(dir, 'models.fifo')]), path.join(dir, 'models.fifo')), 'is a FIFO'],
    ['a device', () => '/dev/zero', 'is a device'],
    ['a folder', (dir: string) => dir, 'is a folder'],
    [
      'an oversized file',
      (dir: string) => (writeFileSync(path.join(dir, 'big.json'), ' '.repeat(2 * 1024 * 1024)), path.join(dir, 'big.json')),
      'a catalog file may have at most',
    ],
  ])('answers every call with the error, naming SORA2_MCP_MODELS, when it names %s', async (_name, make, words) => {
    const said = await misconfigured({ MEDIA_GEN_DIRS: folder.path, SORA2_MCP_MODELS: make(folder.path) });
    expect(said.stderr).toContain('configuration error: SORA2_MCP_MODELS:');
    expect(said.call).toContain('SORA2_MCP_MODELS');
    expect(said.call).toContain(words);
  });

  it('makes a named folder only inside one that exists: a mistyped path is an error, never a new tree', async () => {
    const typo = path.join(folder.path, 'Vidoes', 'sora', 'out');
    const said = await misconfigured({ MEDIA_GEN_DIRS: typo });
    expect(said.call).toContain(`MEDIA_GEN_DIRS: "${typo}" does not exist, nor does its parent folder`);
    expect(existsSync(path.join(folder.path, 'Vidoes'))).toBe(false);
    const fresh = path.join(folder.path, 'videos');
    const server = await startBuiltServer({ MEDIA_GEN_DIRS: fresh });
    try {
      expect((await server.client.listTools()).tools.length).toBeGreaterThan(0);
      expect(existsSync(fresh)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('shows a client a mistyped tool set as a readable error on every call, and says so in its instructions', async () => {
    const said = await misconfigured({ MEDIA_GEN_DIRS: folder.path, SORA2_MCP_TOOLSET: 'sora' });
    expect(said.call).toMatch(/^This server's configuration is invalid, so it cannot make videos: SORA2_MCP_TOOLSET: .*"sora".*sora2/);
    expect(said.call).toMatch(/doctor.*\(code: configuration_error\)$/);
    expect(said.instructions).toBe(said.call);
    expect(said.tools).toContain('openai-videos-create');
  });

  it('runs the demo twice in a row: each run saves into a folder of its own', async () => {
    const demo = path.resolve(__dirname, '../../scripts/demo.js');
    const run = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [demo], {
          env: { PATH: process.env.PATH ?? '', HOME: SCRATCH_HOME, DEMO_OUTPUT_DIR: folder.path, SORA2_MCP_SIMULATOR_RENDER_MS: '200' },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const first = await run();
    expect(first).toMatchObject({ code: 0 });
    const second = await run();
    expect(second).toMatchObject({ code: 0 });
    const runs = readdirSync(folder.path).filter((name) => !name.startsWith('.'));
    expect(runs).toHaveLength(2);
    for (const name of runs) {
      const saved = readdirSync(path.join(folder.path, name));
      expect(saved).toContain('paper-boat.mp4');
      // One file per variant per job: the first video is not saved a second time.
      expect(saved.filter((file) => file.startsWith('paper-boat') && !file.startsWith('paper-boat-snow') && file.endsWith('.mp4'))).toEqual(
        ['paper-boat.mp4'],
      );
    }
  }, 60_000);
});
