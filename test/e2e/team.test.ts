import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import builtIn from '../../src/domain/model-catalog.json';
import { connectClient, type AnyClient, type ClientKind } from '../support/clients';
import { startBuiltHttp, type RunningHttp } from '../support/http-server';
import { freePort, startNginx, type RunningNginx } from '../support/nginx';
import { startPostgres, type RunningPostgres } from '../support/postgres';
import { BUILT_SERVER, serverEnv, watchText } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/*
 * A team on several replicas, with every part real: PostgreSQL 15 (the shared state), three `sora2-mcp http`
 * processes, Debian's nginx in front of them (round robin, no stickiness), the simulator's HTTP face as the one
 * provider, and a real OpenID provider (oidc-provider) issuing OAuth access tokens. Each guarantee of team mode is
 * a case: ownership, a budget under concurrency across replicas, idempotency under concurrency, a restart, a
 * replica killed in the middle of a wait, and tokens a resource server must refuse.
 */

jest.setTimeout(180_000);

const PRICE = (builtIn.models.find((model) => model.id === 'sora-2') as { prices?: { usd_per_second: number }[] }).prices![0]!
  .usd_per_second;
/** What one 4-second sora-2 job is estimated at. */
const JOB_USD = PRICE * 4;

type Result = CallToolResult & { structuredContent?: Record<string, unknown> };
const text = (result: CallToolResult) => result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');

interface Simulator {
  baseURL: string;
  /** How many jobs the provider has been asked to make. */
  jobs(): Promise<number>;
  stop(): Promise<void>;
}

async function startSimulator(folder: string): Promise<Simulator> {
  const child = spawn(process.execPath, [BUILT_SERVER, 'simulator', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', MEDIA_GEN_DIRS: folder, SORA2_MCP_SIMULATOR_RENDER_MS: '2000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = watchText(child.stdout);
  await out.waitFor(/listening on (http:\/\/\S+)/);
  const baseURL = /listening on (http:\/\/\S+)/.exec(out.text())![1]!;
  return {
    baseURL,
    jobs: async () => {
      let count = 0;
      let after: string | undefined;
      for (;;) {
        const page = (await (await fetch(`${baseURL}/videos?limit=100${after ? `&after=${after}` : ''}`)).json()) as {
          data: { id: string }[];
          has_more: boolean;
          last_id: string | null;
        };
        count += page.data.length;
        if (!page.has_more || !page.last_id) return count;
        after = page.last_id;
      }
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('three replicas behind nginx on one PostgreSQL, users told apart by their tokens', () => {
  const tokens = { alice: 'alice-token-0123456789abcdef', bob: 'bob-token-0123456789abcdef', carol: 'carol-token-0123456789abcdef' };
  let postgres: RunningPostgres;
  let simulator: Simulator;
  let replicas: RunningHttp[] = [];
  let nginx: RunningNginx;
  let replicaEnv: Record<string, string>;
  let folders: ReturnType<typeof tempFolder>[];
  const clients: AnyClient[] = [];
  const client = async (user: keyof typeof tokens, kind: ClientKind = 'v2-pinned', url = nginx.url) => {
    const connected = await connectClient(kind, { http: { url, token: tokens[user] } });
    clients.push(connected);
    return connected;
  };
  const create = (who: AnyClient, args: Record<string, unknown> = {}) =>
    who.callTool({
      name: 'openai-videos-create',
      arguments: { prompt: 'a paper boat', model: 'sora-2', seconds: '4', ...args },
    }) as Promise<Result>;

  async function startReplicas(): Promise<void> {
    replicas = await Promise.all([0, 1, 2].map(() => startBuiltHttp(['--port', '0'], replicaEnv)));
    nginx = await startNginx(replicas.map((replica) => replica.port));
  }
  async function stopReplicas(): Promise<void> {
    await Promise.all(clients.splice(0).map((item) => item.close().catch(() => undefined)));
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.close()));
  }

  beforeAll(async () => {
    folders = [tempFolder(), tempFolder(), tempFolder()];
    const [providerFolder, shared, config] = folders;
    postgres = await startPostgres();
    simulator = await startSimulator(providerFolder!.path);
    const users = path.join(config!.path, 'users.json');
    writeFileSync(users, JSON.stringify({ users: Object.entries(tokens).map(([id, token]) => ({ id, token_sha256: sha256(token) })) }));
    replicaEnv = {
      OPENAI_BASE_URL: simulator.baseURL,
      SORA2_MCP_API_KEY: 'sk-team-test-key-0123456789',
      // One store for every replica: one shared folder.
      MEDIA_GEN_DIRS: shared!.path,
      SORA2_MCP_DATABASE_URL: postgres.database('team'),
      SORA2_MCP_HTTP_USERS: users,
      // Room for exactly five 4-second sora-2 jobs per user per day.
      SORA2_MCP_BUDGET_USD: String(JOB_USD * 5),
      SORA2_MCP_TEAM_BUDGET_USD: String(JOB_USD * 100),
    };
    await startReplicas();
  });

  afterAll(async () => {
    await stopReplicas().catch(() => undefined);
    await simulator?.stop();
    await postgres?.stop();
    for (const folder of folders ?? []) folder.remove();
  });

  it('doctor says whether the shared ledger answers', async () => {
    const doctor = (env: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [BUILT_SERVER, 'doctor'], { env: serverEnv(env), stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('exit', () => resolve(out));
      });
    expect(await doctor(replicaEnv)).toMatch(/✔ ledger: PostgreSQL at SORA2_MCP_DATABASE_URL answers; its schema is migrated/);
    const down = await doctor({ ...replicaEnv, SORA2_MCP_DATABASE_URL: 'postgres://sora2:a-db-password@127.0.0.1:1/sora2' });
    expect(down).toMatch(/✖ ledger: PostgreSQL at SORA2_MCP_DATABASE_URL does not answer/);
    expect(down).not.toContain('a-db-password');
  });

  it('refuses a token no user holds, and none, before anything else', async () => {
    for (const bearer of ['not-a-user-token-0123456789', tokens.alice.slice(0, -1), undefined]) {
      const answer = await fetch(nginx.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: '{}',
      });
      expect(answer.status).toBe(401);
      expect(await answer.text()).toContain('SORA2_MCP_HTTP_USERS');
    }
  });

  it('ten concurrent creates on three replicas against a budget with room for five start exactly five jobs', async () => {
    const before = await simulator.jobs();
    // Ten HTTP requests at once: the balancer spreads them over the three replicas.
    const alice = await client('alice');
    const results = await Promise.all(Array.from({ length: 10 }, () => create(alice)));
    const started = results.filter((result) => !result.isError);
    const refused = results.filter((result) => result.isError);
    expect(started).toHaveLength(5);
    expect(refused).toHaveLength(5);
    for (const result of refused) expect(text(result)).toContain('would bring your spending this day (UTC) over your');
    expect(await simulator.jobs()).toBe(before + 5);
    expect(started.at(-1)!.structuredContent!.budget).toMatchObject({ period: 'day', user: { budget_usd: JOB_USD * 5 } });
  });

  it('keeps what was spent across a restart of every replica', async () => {
    await stopReplicas();
    await startReplicas();
    const alice = await client('alice', 'v1');
    const models = (await alice.callTool({ name: 'openai-videos-models', arguments: { model: 'sora-2' } })) as Result;
    expect(models.structuredContent!.budget).toMatchObject({ user: { left_usd: 0 } });
    const before = await simulator.jobs();
    const refused = await create(alice);
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('(code: over_budget)');
    expect(await simulator.jobs()).toBe(before);
    // Alice's five jobs are still hers, listed from the shared state by whichever replica answers.
    const listed = (await alice.callTool({ name: 'openai-videos-list', arguments: { limit: 100 } })) as Result;
    expect(listed.structuredContent!.data as unknown[]).toHaveLength(5);
  });

  it("never shows or touches another user's job: it answers exactly as an unknown id, and nothing reaches the provider", async () => {
    const carol = await client('carol', 'v1');
    const bob = await client('bob', 'v2-pinned');
    const made = await create(carol, { wait_for_completion: true, download_variants: ['video', 'thumbnail'] });
    expect(made.isError).toBeFalsy();
    const id = made.structuredContent!.id as string;
    const unknown = 'video_0000000000000000000000000000';
    const calls: [string, Record<string, unknown>][] = [
      ['openai-videos-retrieve', {}],
      ['openai-videos-download-content', {}],
      ['openai-videos-remix', { prompt: 'at dusk' }],
      ['openai-videos-delete', {}],
    ];
    const before = await simulator.jobs();
    for (const [name, args] of calls) {
      const foreign = await bob.callTool({ name, arguments: { video_id: id, ...args } });
      const missing = await bob.callTool({ name, arguments: { video_id: unknown, ...args } });
      expect({ name, isError: foreign.isError }).toEqual({ name, isError: true });
      expect(text(foreign).replaceAll(id, 'ID')).toBe(text(missing).replaceAll(unknown, 'ID'));
      expect(JSON.stringify(foreign.structuredContent ?? null).replaceAll(id, 'ID')).toBe(
        JSON.stringify(missing.structuredContent ?? null).replaceAll(unknown, 'ID'),
      );
    }
    expect(await simulator.jobs()).toBe(before);
    // Bob's delete sent nothing: Carol's job is still there, at the provider.
    const still = (await carol.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } })) as Result;
    expect(still.structuredContent).toMatchObject({ id, status: 'completed' });
    // Lists and resources are each user's own, whichever replica answers.
    const bobs = (await bob.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
    expect((bobs.structuredContent!.data as { id: string }[]).map((video) => video.id)).not.toContain(id);
    const carols = (await carol.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
    expect((carols.structuredContent!.data as { id: string }[]).map((video) => video.id)).toEqual([id]);
    const carolFiles = (await carol.listResources()).resources.map((resource) => resource.uri);
    expect(carolFiles).toHaveLength(2);
    expect((await bob.listResources()).resources).toEqual([]);
    await expect(bob.readResource(carolFiles[0]!)).rejects.toThrow();
    expect((await carol.readResource(carolFiles.find((uri) => uri.endsWith('.webp'))!)).contents).toHaveLength(1);
  });

  it('four concurrent creates with one idempotency key start one job, and every call gets it', async () => {
    const before = await simulator.jobs();
    const bob = await client('bob');
    const legacy = await client('bob', 'v1');
    const key = 'a4f1c3e2-7d55-4c1e-9a9b-3f1d2c4b5a60';
    const results = await Promise.all([bob, legacy, bob, legacy].map((who) => create(who, { idempotency_key: key })));
    for (const result of results) expect(result.isError).toBeFalsy();
    const ids = new Set(results.map((result) => result.structuredContent!.id));
    expect(ids.size).toBe(1);
    expect(await simulator.jobs()).toBe(before + 1);
    const other = await create(bob, { idempotency_key: key, prompt: 'a paper ship' });
    expect(other.isError).toBe(true);
    expect(text(other)).toContain('idempotency_key was already used with other arguments');
    expect(await simulator.jobs()).toBe(before + 1);
  });

  it("a sequence's shots, frames and joined file are its maker's resources, and no one else's", async () => {
    const carol = await client('carol');
    const bob = await client('bob');
    const made = (await carol.callTool(
      {
        name: 'openai-videos-sequence',
        arguments: {
          shots: [{ prompt: 'a lighthouse' }, { prompt: 'its beam' }],
          model: 'sora-2',
          seconds: '4',
          wait_for_completion: true,
          file: 'carol-scene',
        },
      },
      { timeout: 300_000 },
    )) as Result;
    expect(text(made)).not.toMatch(/code: /);
    const joined = made.structuredContent!.uri as string;
    const carols = (await carol.listResources()).resources.map((resource) => resource.uri);
    expect(carols).toEqual(expect.arrayContaining([joined]));
    expect(carols.filter((uri) => /carol-scene-shot-\d(-first-frame\.png|\.mp4)$/.test(uri))).toHaveLength(3);
    const bobs = (await bob.listResources()).resources.map((resource) => resource.uri);
    expect(bobs.filter((uri) => uri.includes('carol-scene'))).toEqual([]);
    await expect(bob.readResource(joined)).rejects.toThrow();
  }, 300_000);

  it('a replica killed in the middle of a wait loses nothing: the repeated call completes the same job', async () => {
    const before = await simulator.jobs();
    const victim = replicas[0]!;
    // The call goes to one replica directly, so the test knows which one to kill.
    const direct = await client('bob', 'v2-pinned', victim.url);
    const key = 'kill-mid-wait-0001';
    const args = { idempotency_key: key, wait_for_completion: true, download_variants: ['video'] };
    let started: () => void = () => undefined;
    const jobStarted = new Promise<void>((resolve) => (started = resolve));
    const cut = direct
      .callTool(
        { name: 'openai-videos-create', arguments: { prompt: 'a paper boat', model: 'sora-2', seconds: '4', ...args } },
        { onprogress: (progress) => /started video/.test(progress.message ?? '') && started() },
      )
      .then(
        () => 'answered',
        () => 'cut',
      );
    await jobStarted;
    await stopChild(victim.child, 'SIGKILL');
    // The same call again, through the balancer (which finds the dead replica refusing and goes on): the same job.
    const bob = await client('bob');
    const resumed = await create(bob, args);
    expect(resumed.isError).toBeFalsy();
    expect(resumed.structuredContent).toMatchObject({ status: 'completed' });
    expect(resumed.content.some((block) => block.type === 'resource_link')).toBe(true);
    expect(await simulator.jobs()).toBe(before + 1);
    // The first call never got an answer (its client gives up once it is closed).
    await direct.close();
    expect(await cut).toBe('cut');
  });
});

describe('OAuth 2.1 through nginx in front of three replicas: access tokens from a real authorization server (oidc-provider)', () => {
  let postgres: RunningPostgres;
  let simulator: Simulator;
  let replicas: RunningHttp[] = [];
  let nginx: RunningNginx;
  let oidc: ChildProcess;
  let issuer: string;
  let forged: { expired: string; foreign: string };
  let publicUrl: string;
  let folders: ReturnType<typeof tempFolder>[];
  const clients: AnyClient[] = [];

  /** A token from the authorization server's token endpoint (client_credentials, RFC 8707 resource): its subject is the client. */
  async function token(user: 'alice' | 'bob', resource = publicUrl): Promise<string> {
    const answer = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${user}:${user}-secret-long-enough-for-tests`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'mcp' }),
    });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { access_token: string }).access_token;
  }

  beforeAll(async () => {
    folders = [tempFolder(), tempFolder()];
    postgres = await startPostgres();
    simulator = await startSimulator(folders[0]!.path);
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}/mcp`;
    oidc = spawn(process.execPath, [path.join(__dirname, '../support/oidc-provider.mjs'), publicUrl], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = watchText(oidc.stdout!);
    await out.waitFor(/"issuer"/);
    ({ issuer, ...forged } = JSON.parse(out.text().split('\n')[0]!) as { issuer: string; expired: string; foreign: string });
    const env = {
      OPENAI_BASE_URL: simulator.baseURL,
      SORA2_MCP_API_KEY: 'sk-team-test-key-0123456789',
      MEDIA_GEN_DIRS: folders[1]!.path,
      SORA2_MCP_DATABASE_URL: postgres.database('oauth'),
      SORA2_MCP_OAUTH_ISSUER: issuer,
      SORA2_MCP_PUBLIC_URL: publicUrl,
    };
    replicas = await Promise.all([0, 1, 2].map(() => startBuiltHttp(['--port', '0'], env)));
    nginx = await startNginx(
      replicas.map((replica) => replica.port),
      port,
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((item) => item.close().catch(() => undefined)));
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.close()));
    if (oidc) await stopChild(oidc);
    await simulator?.stop();
    await postgres?.stop();
    for (const folder of folders ?? []) folder.remove();
  });

  it("accepts the server's tokens for this resource on any replica, and acts for their subject", async () => {
    const alice = await connectClient('v2-pinned', { http: { url: nginx.url, token: await token('alice') } });
    const bob = await connectClient('v1', { http: { url: nginx.url, token: await token('bob') } });
    clients.push(alice, bob);
    const made = (await alice.callTool({
      name: 'openai-videos-create',
      arguments: { prompt: 'a paper boat', model: 'sora-2', seconds: '4' },
    })) as Result;
    expect(made.isError).toBeFalsy();
    const id = made.structuredContent!.id as string;
    const mine = (await alice.callTool({ name: 'openai-videos-list', arguments: {} })) as Result;
    expect((mine.structuredContent!.data as { id: string }[]).map((video) => video.id)).toEqual([id]);
    const theirs = (await bob.callTool({ name: 'openai-videos-retrieve', arguments: { video_id: id } })) as Result;
    expect(theirs.isError).toBe(true);
    expect(text(theirs)).toContain('among your jobs');
  });

  it('refuses a token for another audience, an expired one, a foreign signature and none, pointing at its metadata (RFC 9728)', async () => {
    const metadata = `http://127.0.0.1:${nginx.port}/.well-known/oauth-protected-resource/mcp`;
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    });
    const cases: [string, string | undefined][] = [
      ['another audience', await token('alice', 'http://127.0.0.1:1/other')],
      ['expired', forged.expired],
      ['a foreign signature', forged.foreign],
      ['none', undefined],
    ];
    for (const [name, bearer] of cases) {
      const answer = await fetch(nginx.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: initialize,
      });
      expect({ name, status: answer.status }).toEqual({ name, status: 401 });
      expect(answer.headers.get('www-authenticate')).toContain(`resource_metadata="${metadata}"`);
      const body = await answer.text();
      if (bearer) expect(body).not.toContain(bearer);
    }
    const document = (await (await fetch(metadata)).json()) as Record<string, unknown>;
    expect(document).toMatchObject({ resource: publicUrl, authorization_servers: [issuer], bearer_methods_supported: ['header'] });
  });
});
