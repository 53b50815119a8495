import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { startBuiltServer } from '../support/stdio-server';
import { tempFolder } from '../support/temp';

/** Small protocol edges some clients hit, over stdio against the built server. */
describe('protocol edges', () => {
  it('answers resources/templates/list (with none) instead of "method not found"', async () => {
    const folder = tempFolder();
    const server = await startBuiltServer({ MEDIA_GEN_DIRS: folder.path });
    try {
      expect(await server.client.listResourceTemplates()).toMatchObject({ resourceTemplates: [] });
    } finally {
      await server.close();
      folder.remove();
    }
  });

  it("lets a client's logging/setLevel raise log notifications to debug above the environment's level, and lower them again", async () => {
    const folder = tempFolder();
    const server = await startBuiltServer({ MEDIA_GEN_DIRS: folder.path, SORA2_MCP_PROVIDER: 'simulator', SORA2_MCP_LOG_LEVEL: 'warn' });
    const logs: LoggingMessageNotification['params'][] = [];
    server.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params);
    });
    try {
      await server.client.setLoggingLevel('debug');
      // The simulator logs each job it starts at debug level.
      await server.client.callTool({ name: 'openai-videos-list', arguments: {} });
      await server.client.callTool({ name: 'openai-videos-create', arguments: { prompt: 'log me' } });
      await server.client.callTool({ name: 'openai-videos-list', arguments: {} });
      expect(logs.some((log) => log.level === 'debug')).toBe(true);
      expect(server.stderr()).not.toMatch(/ debug: /);
      await server.client.setLoggingLevel('error');
      const before = logs.length;
      await server.client.callTool({ name: 'openai-videos-create', arguments: { prompt: 'quiet now' } });
      await server.client.callTool({ name: 'openai-videos-list', arguments: {} });
      expect(logs.slice(before).every((log) => log.level === 'error')).toBe(true);
    } finally {
      await server.close();
      folder.remove();
    }
  });

  it.each([
    [
      'openai-videos',
      ['openai-videos-models', 'openai-videos-create', 'openai-videos-retrieve', 'openai-videos-download-content'],
      ['create_video'],
    ],
    ['sora2', ['list_models', 'create_video', 'get_video_status', 'download_video'], ['openai-videos']],
  ])("names the %s set's own tools in its instructions, and the server has a title", async (toolset, named, absent) => {
    const server = await startBuiltServer({ SORA2_MCP_TOOLSET: toolset });
    try {
      const instructions = server.client.getInstructions() ?? '';
      for (const name of named) expect(instructions).toContain(name);
      for (const name of absent) expect(instructions).not.toContain(name);
      expect(server.client.getServerVersion()).toMatchObject({
        name: 'sora2-mcp',
        title: 'Sora2 MCP',
        icons: [{ mimeType: 'image/svg+xml', src: expect.stringMatching(/^data:image\/svg\+xml;base64,/) }],
      });
    } finally {
      await server.close();
    }
  });
});
