import { AzureRejectingVideoProvider } from '../../src/adapters/azure/azure-rejecting-video-provider';
import { OpenAiVideoProvider } from '../../src/adapters/openai/openai-video-provider';
import { SimulatedVideoProvider } from '../../src/adapters/simulator/simulated-video-provider';
import { parseConfig } from '../../src/composition/config';
import { buildContainer, override, resolve } from '../../src/composition/container';
import { TOKENS } from '../../src/composition/tokens';
import { ScriptedProvider } from '../support/in-memory-ports';
import { tempFolder } from '../support/temp';

describe('the composition root', () => {
  const folder = tempFolder();
  afterAll(() => folder.remove());
  const config = (env: Record<string, string> = {}) => parseConfig({ MEDIA_GEN_DIRS: folder.path, ...env });

  it.each([
    [{}, OpenAiVideoProvider],
    [{ SORA2_MCP_PROVIDER: 'simulator' }, SimulatedVideoProvider],
    [{ AZURE_OPENAI_API_KEY: 'a' }, AzureRejectingVideoProvider],
    // An explicit choice of the simulator wins over an Azure key in the environment.
    [{ SORA2_MCP_PROVIDER: 'simulator', AZURE_OPENAI_API_KEY: 'a' }, SimulatedVideoProvider],
  ])('picks the provider the configuration asks for: %j', (env, kind) => {
    expect(resolve(buildContainer(config(env), []), TOKENS.VideoProvider)).toBeInstanceOf(kind);
  });

  it('wires the tool set from the configuration', () => {
    expect(resolve(buildContainer(config(), []), TOKENS.Application).tools.map((tool) => tool.name)).toHaveLength(7);
    expect(resolve(buildContainer(config({ SORA2_MCP_TOOLSET: 'all' }), []), TOKENS.Application).tools).toHaveLength(14);
  });

  it('lets a test replace a port, and the use cases get the replacement', async () => {
    const fake = new ScriptedProvider();
    const container = buildContainer(config(), [], [override(TOKENS.VideoProvider, () => fake)]);
    await resolve(container, TOKENS.Application).useCases.jobs.retrieve('video_9');
    expect(fake.calls).toEqual([{ method: 'retrieve', args: ['video_9', expect.anything()] }]);
  });

  it('builds singletons per container, never shared between containers', () => {
    const a = buildContainer(config(), []);
    const b = buildContainer(config(), []);
    expect(resolve(a, TOKENS.MediaStore)).toBe(resolve(a, TOKENS.MediaStore));
    expect(resolve(a, TOKENS.MediaStore)).not.toBe(resolve(b, TOKENS.MediaStore));
  });
});
