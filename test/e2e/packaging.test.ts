import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VARIABLES } from '../../src/config/variables';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import sharp from 'sharp';
import { z } from 'zod';
import { tempFolder } from '../support/temp';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  mcpName: string;
  dependencies: Record<string, string>;
};

describe('the npm package', () => {
  it('packs whole from a fresh clone: `npm pack` builds first (prepack), so the tarball holds what the built tree packs', async () => {
    const clone = tempFolder('sora2-mcp-clone-');
    try {
      await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone.path]);
      // The clone's own install would fetch from the registry: its node_modules are this tree's, as `npm ci` would make them.
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone.path, 'node_modules'), 'dir');
      const packed = await run('npm', ['pack', '--dry-run', '--json'], { cwd: clone.path, maxBuffer: 64 * 1024 * 1024 });
      const fresh = (JSON.parse(packed.stdout.slice(packed.stdout.lastIndexOf('[\n  {'))) as { files: { path: string }[] }[])[0]!.files
        .map((file) => file.path)
        .sort();
      const here = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
      const built = (JSON.parse(here.stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path).sort();
      expect(fresh).toEqual(built);
      expect(fresh).toContain('build/index.js');
    } finally {
      clone.remove();
    }
  }, 240_000);

  it('contains only what a user needs', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((file) => file.path).sort();
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'build/index.js', 'package.json', 'spec/openai-videos-openapi.yaml']),
    );
    // The bin and the two library entries are bundled files with their declarations; only sharp
    // (native), openai, undici and the AWS SDK (loaded lazily) are installed beside them.
    // One prebuilt tool listing per provider the server knows (each dialect, and the official shape).
    expect(files.filter((file) => file.startsWith('build/tool-list/'))).toHaveLength(7);
    expect(files.filter((file) => !file.startsWith('build/types/') && !file.startsWith('build/tool-list/'))).toEqual([
      'LICENSE',
      'README.md',
      'THIRD_PARTY_NOTICES',
      'build/commands.js',
      'build/index.js',
      'build/lib.js',
      'build/lib.mjs',
      'build/testing.js',
      'build/testing.mjs',
      'build/view/video.html',
      'package.json',
      'spec/openai-videos-openapi.yaml',
    ]);
    expect(files).toEqual(
      expect.arrayContaining([
        'build/types/lib.d.ts',
        'build/types/testing/index.d.ts',
        'build/types/lib.d.mts',
        'build/types/testing/index.d.mts',
      ]),
    );
    // Declarations only, each in its CommonJS (.d.ts) and its ESM (.d.mts) form.
    const types = files.filter((file) => file.startsWith('build/types/'));
    expect(types.filter((file) => !/\.d\.m?ts$/.test(file))).toEqual([]);
    expect(types.filter((file) => file.endsWith('.d.mts')).map((file) => file.replace(/\.d\.mts$/, '.d.ts'))).toEqual(
      types.filter((file) => file.endsWith('.d.ts')),
    );
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@aws-sdk/client-s3',
      '@aws-sdk/lib-storage',
      '@aws-sdk/s3-request-presigner',
      '@electric-sql/pglite',
      'openai',
      'pg',
      'sharp',
      'undici',
    ]);
  });

  it("ships the licence notice of every package bundled into the bin, generated from the bundle's metafile", () => {
    const notices = readFileSync(path.join(ROOT, 'THIRD_PARTY_NOTICES'), 'utf8');
    const bundle = readFileSync(path.join(ROOT, 'build', 'index.js'), 'utf8');
    for (const name of ['@modelcontextprotocol/server', 'zod', 'tsyringe', 'ipaddr.js']) {
      expect(notices).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\d+\\.\\d+\\.\\d+\\nLicense: `, 'm'));
    }
    // The Apache-2.0 and BSD-3-Clause code the bundle carries is named, with its notice text.
    expect(notices).toMatch(/License: Apache-2\.0/);
    expect(notices).toMatch(/License: BSD-3-Clause/);
    expect(bundle.length).toBeGreaterThan(0);
  });

  it('installs from the packed tarball and serves MCP over stdio from its bin', async () => {
    const folder = tempFolder();
    try {
      const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', folder.path], { cwd: ROOT });
      const tarball = path.join(folder.path, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
      const project = path.join(folder.path, 'user-project');
      mkdirSync(project);
      writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
      await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tarball], {
        cwd: project,
        timeout: 240_000,
      });
      const bin = path.join(project, 'node_modules', '.bin', 'sora2-mcp');
      const env = {
        PATH: process.env.PATH ?? '',
        SORA2_MCP_PROVIDER: 'simulator',
        MEDIA_GEN_DIRS: path.join(folder.path, 'media'),
        SORA2_MCP_SIMULATOR_RENDER_MS: '200',
      };
      const transport = new StdioClientTransport({ command: bin, env });
      const client = new Client({ name: 'packaging-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        expect(client.getServerVersion()).toMatchObject({ name: 'sora2-mcp', version: pkg.version });
        expect((await client.listTools()).tools).toHaveLength(10);
        // Everything loaded lazily: reference sniffing and fitting, the simulator's media, downloads.
        const reference = (
          await sharp({ create: { width: 100, height: 100, channels: 3, background: '#336699' } })
            .png()
            .toBuffer()
        ).toString('base64');
        const created = (await client.callTool({
          name: 'openai-videos-create',
          arguments: {
            prompt: 'from the tarball',
            input_reference: reference,
            input_reference_fit: 'cover',
            wait_for_completion: true,
            poll_interval_ms: 100,
            download_variants: ['video', 'thumbnail'],
          },
        })) as { isError?: boolean; content: { type: string }[] };
        expect(created.isError).toBeFalsy();
        expect(created.content.filter((block) => block.type === 'resource_link')).toHaveLength(2);
      } finally {
        await client.close();
      }
      const doctor = await run(bin, ['doctor'], { env });
      expect(doctor.stdout).toContain('No problems found.');
      const simulator = spawn(bin, ['simulator', '--port', '0'], { env });
      try {
        const baseURL = await new Promise<string>((resolve, reject) => {
          simulator.stdout.on('data', (chunk: Buffer) => {
            const match = /listening on (\S+)/.exec(chunk.toString());
            if (match) resolve(match[1]!);
          });
          simulator.on('exit', () => reject(new Error('simulator exited')));
        });
        const invalid = await fetch(`${baseURL}/videos`, {
          method: 'POST',
          headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'x', size: '1x1' }),
        });
        expect(invalid.status).toBe(400);
      } finally {
        simulator.kill();
      }
    } finally {
      folder.remove();
    }
  }, 300_000);
});

/** The official MCP registry's server.json rules (schema 2025-12-11 and the registry's own npm checks). */
const registryServer = z.object({
  $schema: z.literal('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json'),
  name: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]\/[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/),
  title: z.string().min(1).max(100).optional(),
  description: z.string().min(1).max(100),
  version: z
    .string()
    .max(255)
    .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/),
  packages: z
    .array(
      z.object({
        registryType: z.literal('npm'),
        identifier: z.string().regex(/^[^\s]+$/),
        version: z
          .string()
          .min(1)
          .regex(/^\d+\.\d+\.\d+/),
        runtimeHint: z.string().optional(),
        transport: z.strictObject({ type: z.literal('stdio') }),
        environmentVariables: z.array(
          z.strictObject({
            name: z.string().min(1),
            description: z.string().optional(),
            isRequired: z.boolean().optional(),
            isSecret: z.boolean().optional(),
            format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
            default: z.string().optional(),
            choices: z.array(z.string()).optional(),
          }),
        ),
      }),
    )
    .min(1),
});

describe('server.json for the official MCP registry', () => {
  const server = JSON.parse(readFileSync(path.join(ROOT, 'server.json'), 'utf8')) as z.infer<typeof registryServer>;

  it('follows the registry schema', () => {
    expect(registryServer.safeParse(server).error?.issues ?? []).toEqual([]);
  });

  it('matches package.json: name = mcpName, same version and package', () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.packages[0]).toMatchObject({ identifier: pkg.name, version: pkg.version });
  });

  it('prompts only for what a user must or may set, each a variable the configuration really reads', () => {
    const declared = server.packages[0]!.environmentVariables;
    expect(declared.map((variable) => variable.name).sort()).toEqual(
      ['SORA2_MCP_API_KEY', 'OPENAI_BASE_URL', 'MEDIA_GEN_DIRS', 'MEDIA_GEN_URLS', 'SORA2_MCP_PROVIDER', 'SORA2_MCP_TOOLSET'].sort(),
    );
    // Each is an entry of the one table the configuration is parsed through (and generated from it: unit/config-table.test.ts).
    for (const variable of declared) expect(VARIABLES.map((entry) => entry.name)).toContain(variable.name);
    expect(declared.find((variable) => variable.name === 'SORA2_MCP_API_KEY')).toMatchObject({ isSecret: true });
    // Never a variable whose only effect is to break every call, nor the simulator's tuning knobs.
    expect(declared.map((variable) => variable.name)).not.toContain('AZURE_OPENAI_API_KEY');
    expect(declared.some((variable) => variable.name.includes('SIMULATOR'))).toBe(false);
  });
});
