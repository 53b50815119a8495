import { existsSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createSora2Server } from '../../src/composition/create-server';
import { FakeClock, RecordingLogger } from '../support/fakes';
import { MemoryMediaStore, ScriptedProvider } from '../support/in-memory-ports';

/** The one composition root, in process: what the bin, doctor, the simulator command and library users call. */
describe('createSora2Server', () => {
  it('serves MCP over any transport, with overridden ports receiving the work', async () => {
    const provider = new ScriptedProvider();
    provider.retrieves = [
      { status: 'in_progress', progress: 50 },
      { status: 'completed', progress: 100 },
    ];
    const store = new MemoryMediaStore();
    const sora2 = createSora2Server({
      env: { SORA2_MCP_API_KEY: 'sk-in-process' },
      overrides: { videoProvider: provider, mediaStore: store, clock: new FakeClock() },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await sora2.connect(serverSide);
    const client = new Client({ name: 'in-process', version: '1' });
    await client.connect(clientSide);
    try {
      const result = (await client.callTool({
        name: 'openai-videos-create',
        arguments: { prompt: 'in process', wait_for_completion: true },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(provider.count('create')).toBe(1);
      expect([...store.items.keys()]).toEqual(['video_1.mp4']);
      expect(sora2.videoProvider).toBe(provider);
    } finally {
      await client.close();
      await sora2.close();
    }
  });

  it("gives the caller's own logger the lines, redacted, and still sends MCP log notifications", async () => {
    const key = 'sk-own-logger-SECRET-0123456789';
    const lines = new RecordingLogger();
    const provider = new ScriptedProvider();
    provider.retrieves = [{ status: 'completed', progress: 100 }];
    const sora2 = createSora2Server({
      env: { SORA2_MCP_API_KEY: key, SORA2_MCP_LOG_LEVEL: 'debug' },
      overrides: { videoProvider: provider, mediaStore: new MemoryMediaStore(), clock: new FakeClock(), logger: lines },
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await sora2.connect(serverSide);
    const client = new Client({ name: 'logging', version: '1' }, { capabilities: {} });
    const notified: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      notified.push(JSON.stringify(notification.params.data));
    });
    await client.connect(clientSide);
    try {
      await client.setLoggingLevel('debug');
      // A line logged while a call runs goes to that call's client (lines outside any call go to the logger only).
      const list = provider.list.bind(provider);
      provider.list = async (...args) => {
        sora2.logger.log('warn', `a line that carries ${key}`);
        return list(...args);
      };
      await client.callTool({ name: 'openai-videos-list', arguments: {} });
      expect(lines.lines.map((entry) => entry.message)).toContain('a line that carries [redacted]');
      expect(notified.some((line) => line.includes('a line that carries [redacted]'))).toBe(true);
      expect(JSON.stringify(lines.lines) + notified.join('')).not.toContain(key);
    } finally {
      await client.close();
      await sora2.close();
    }
  });

  it('starts nothing until connect, and reports a bad configuration by its variable', () => {
    expect(() => createSora2Server({ env: { SORA2_MCP_TOOLSET: 'everything' } })).toThrow(/SORA2_MCP_TOOLSET/);
    const idle = createSora2Server({ env: { MEDIA_GEN_DIRS: '/nonexistent/never-created' } });
    expect(idle.config.roots).toEqual(['/nonexistent/never-created']);
    expect(existsSync('/nonexistent/never-created')).toBe(false);
  });

  it('passes everything it sends through the exit gate', async () => {
    const provider = new ScriptedProvider();
    provider.created = { prompt: 'echo sk-in-process-SECRET-123456' };
    const sora2 = createSora2Server({ env: { SORA2_MCP_API_KEY: 'sk-in-process-SECRET-123456' }, overrides: { videoProvider: provider } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await sora2.connect(serverSide);
    const client = new Client({ name: 'in-process', version: '1' });
    await client.connect(clientSide);
    try {
      const result = await client.callTool({ name: 'openai-videos-create', arguments: { prompt: 'x' } });
      expect(JSON.stringify(result)).not.toContain('SECRET');
    } finally {
      await client.close();
      await sora2.close();
    }
  });
});
