import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from '../../src/mcp/tools';
import { mcpServerWith } from '../support/mcp-servers';
import { freezeDeep } from '../../src/domain/immutable';

/** A server-side transport whose notification writes are slow, as a busy pipe can be. */
function slowNotifications(inner: Transport, delayMs: number): Transport {
  const wrapped: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send: async (message: JSONRPCMessage, options) => {
      if ('method' in message && !('id' in message)) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return inner.send(message, options);
    },
  };
  inner.onmessage = (message, extra) => wrapped.onmessage?.(message, extra);
  inner.onclose = () => wrapped.onclose?.();
  inner.onerror = (error) => wrapped.onerror?.(error);
  return wrapped;
}

describe('a server McpServers builds', () => {
  it('sends every progress notification before the response, even when notifications are slow to write', async () => {
    const tool: ToolDefinition = {
      name: 'work',
      title: 'Work',
      description: 'Reports progress, then answers.',
      inputSchema: z.object({}),
      outputSchema: z.looseObject({ done: z.boolean() }),
      annotations: {},
      async handle(_args: unknown, context) {
        context.onProgress?.({ progress: 50, total: 100, message: 'half' });
        context.onProgress?.({ progress: 100, total: 100, message: 'done' });
        return { content: [{ type: 'text', text: '{"done":true}' }], structuredContent: { done: true } };
      },
    };
    const server = mcpServerWith([tool]);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(slowNotifications(serverSide, 50));
    const order: string[] = [];
    const deliver = clientSide;
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(deliver);
    const original = deliver.onmessage!;
    deliver.onmessage = (message, extra) => {
      order.push('method' in message ? String(message.method) : 'response');
      original(message, extra);
    };
    await client.callTool({ name: 'work', arguments: {} }, undefined, { onprogress: () => undefined });
    expect(order).toEqual(['notifications/progress', 'notifications/progress', 'response']);
    await client.close();
  });

  it('serves a frozen answer (made once) whole each time, and still refuses one its output schema does not allow', async () => {
    const structured = (done: unknown) =>
      freezeDeep({ content: [{ type: 'text' as const, text: 'made once' }], structuredContent: { done } });
    const answers = { good: structured(true), bad: structured('not a boolean') };
    const tool = (name: keyof typeof answers): ToolDefinition => ({
      name,
      title: name,
      description: 'Answers with the same frozen result every time.',
      inputSchema: z.object({}),
      outputSchema: z.object({ done: z.boolean() }),
      annotations: {},
      handle: async () => answers[name],
    });
    const server = mcpServerWith([tool('good'), tool('bad')]);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(clientSide);
    for (let i = 0; i < 3; i += 1) {
      expect(await client.callTool({ name: 'good', arguments: {} })).toMatchObject({ structuredContent: { done: true } });
      const refused = await client.callTool({ name: 'bad', arguments: {} });
      expect(refused).toMatchObject({ isError: true });
      expect(JSON.stringify(refused.content)).toMatch(/Output validation error/);
    }
    await client.close();
  });
});
