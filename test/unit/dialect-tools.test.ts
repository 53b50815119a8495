import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { DIALECTS, type DialectName } from '../../src/adapters/openai/dialects';
import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { CONTROL_NAMES, type ControlName } from '../../src/domain/controls';
import { OPTIONAL_OPERATIONS, type ProviderProfile } from '../../src/domain/ports';
import { instructionsFor, TOOLSET_TABLES, toolsOf } from '../../src/mcp/toolsets';
import { VIEW_READ_TOOL } from '../../src/mcp/view-contract';
import { silentLogger } from '../support/fakes';
import { mcpServerWith } from '../support/mcp-servers';

/**
 * Each dialect's tools, as the MCP SDK lists them: only the tools whose operation the provider offers, and
 * descriptions that promise nothing its profile lacks. test/toolsnaps/dialects/<dialect>.json records each list
 * (UPDATE_TOOLSNAPS=1 rewrites them).
 */
const SNAPS = path.resolve(__dirname, '../toolsnaps/dialects');

function profileOf(dialect: DialectName): ProviderProfile {
  return new OpenAiVideoProvider({
    dialect: DIALECTS[dialect],
    apiKey: undefined,
    baseURL: undefined,
    requestTimeoutMs: 1000,
    downloadIdleTimeoutMs: 1000,
    readRetries: 0,
    logLevel: 'silent',
    logger: silentLogger,
  }).profile;
}

async function listed(provider: ProviderProfile, listsFromRegistry = false): Promise<Tool[]> {
  // As a server with ffmpeg offers them: the frame, join and sequence tools are described by the profile too.
  const offering = { provider, listsFromRegistry, edits: true };
  const server = mcpServerWith([...toolsOf('openai-videos', undefined, offering), ...toolsOf('sora2', undefined, offering)]);
  const client = new Client({ name: 'dialect-tools', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  const tools = (await client.listTools()).tools.filter((tool) => tool.name !== VIEW_READ_TOOL);
  await client.close();
  return tools;
}

/** Every description a tool carries: its own, and each input property's. */
function descriptions(tool: Tool): { where: string; text: string }[] {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string; items?: { description?: string } }>;
  return [
    { where: `${tool.name}`, text: tool.description ?? '' },
    ...Object.entries(properties).map(([name, property]) => ({
      where: `${tool.name}.${name}`,
      text: `${property.description ?? ''} ${property.items?.description ?? ''}`,
    })),
  ];
}

/** How a description would name a control, besides its field name. */
const CONTROL_WORDS: Record<ControlName, RegExp> = {
  input_reference: /\binput_reference\b|first frame/i,
  last_frame: /\blast_frame\b|last frame/i,
  reference_images: /\breference_images\b|reference image/i,
  generate_audio: /\bgenerate_audio\b/i,
  seed: /\bseed\b/i,
  negative_prompt: /\bnegative_prompt\b|negative prompt/i,
  aspect_ratio: /\baspect_ratio\b/,
  resolution: /\bresolution\b/,
  provider_options: /\bprovider_options\b/,
};

const dialects = Object.keys(DIALECTS) as DialectName[];

describe.each(dialects)('the %s dialect lists only the tools that can work, described by its profile', (dialect) => {
  const provider = profileOf(dialect);
  let tools: Tool[];
  beforeAll(async () => {
    tools = await listed(provider);
  });

  it('registers an optional operation only where the provider offers it, in both sets', () => {
    const names = new Set(tools.map((tool) => tool.name));
    for (const set of ['openai-videos', 'sora2'] as const) {
      for (const row of TOOLSET_TABLES[set]) {
        const optional = (OPTIONAL_OPERATIONS as readonly string[]).includes(row.operation);
        const offered = !optional || provider.operations.includes(row.operation as (typeof OPTIONAL_OPERATIONS)[number]);
        // The editing tools depend on ffmpeg, not on the provider: offered (with ffmpeg) whatever it is.
        expect(`${row.name} ${names.has(row.name) ? 'listed' : 'absent'}`).toBe(`${row.name} ${offered ? 'listed' : 'absent'}`);
      }
    }
  });

  it('names no tool it does not list, and no control the provider has no field for, except to say it is refused', () => {
    const names = new Set(tools.map((tool) => tool.name));
    const absentTools = Object.values(TOOLSET_TABLES)
      .flat()
      .map((row) => row.name)
      .filter((name) => !names.has(name));
    // Geometry is converted for a provider that takes only a size: those two are never refused.
    const absentControls = CONTROL_NAMES.filter(
      (control) => !provider.controls.includes(control) && control !== 'aspect_ratio' && control !== 'resolution',
    );
    const problems: string[] = [];
    for (const tool of tools) {
      for (const { where, text: said } of descriptions(tool)) {
        // The sequence's continuity value "last_frame" names a way of making shots, not the last_frame control.
        const text = said.replaceAll('"last_frame"', '"…"');
        for (const name of absentTools) if (text.includes(name)) problems.push(`${where} names the absent tool ${name}`);
        for (const control of absentControls) {
          const own = where.endsWith(`.${control}`);
          if (own) {
            if (!/has no field for this: a call that sets it is refused before anything is sent/.test(text))
              problems.push(`${where} does not say it is refused`);
          } else if (CONTROL_WORDS[control].test(text)) problems.push(`${where} names ${control}, which ${provider.label} lacks`);
        }
      }
    }
    const instructions = instructionsFor('all', { provider });
    for (const operation of OPTIONAL_OPERATIONS)
      if (!provider.operations.includes(operation) && new RegExp(`\\b${operation}\\b`).test(instructions))
        problems.push(`the instructions name ${operation}`);
    expect(problems).toEqual([]);
  });

  it('matches its snapshot (test/toolsnaps/dialects)', () => {
    const file = path.join(SNAPS, `${dialect}.json`);
    const current = JSON.parse(JSON.stringify(tools)) as unknown;
    if (process.env.UPDATE_TOOLSNAPS) {
      mkdirSync(SNAPS, { recursive: true });
      writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
    }
    expect(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : `missing ${file}`).toEqual(current);
  });
});

it("lists the caller's jobs from the registry in team mode, whatever the provider offers", async () => {
  const tools = await listed(profileOf('gemini'), true);
  expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['openai-videos-list', 'list_videos']));
  expect(tools.map((tool) => tool.name)).not.toContain('openai-videos-remix');
});

it('would catch a description that promises what the profile lacks', async () => {
  // The check above, against a profile that lies: it says it takes no seed while every description is written for one that does.
  const liar = { ...profileOf('fal'), controls: profileOf('fal').controls.filter((control) => control !== 'seed') };
  const honest = await listed(profileOf('fal'));
  const seedWords = honest.flatMap(descriptions).filter(({ where, text }) => !where.endsWith('.seed') && CONTROL_WORDS.seed.test(text));
  expect(seedWords.length).toBeGreaterThan(0);
  const lying = (await listed(liar))
    .flatMap(descriptions)
    .filter(({ where, text }) => !where.endsWith('.seed') && CONTROL_WORDS.seed.test(text));
  expect(lying).toEqual([]);
});
