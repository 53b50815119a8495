import type { McpServer } from '@modelcontextprotocol/server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createSora2Server } from '../../src/composition/create-server';
import { MediaCatalog } from '../../src/mcp/media-catalog';
import { ExitGate } from '../../src/mcp/exit-gate';
import { Presenter } from '../../src/mcp/presenter';
import { McpServers } from '../../src/mcp/server';
import type { ToolDefinition } from '../../src/mcp/tools';
import { InMemoryJobRegistry, InMemoryMediaStore } from '../../src/testing';
import { JobOwnership } from '../../src/application/job-ownership';
import { silentLogger } from './fakes';

/** An MCP server with just these tools (and the media resources over an empty in-memory store), as the server builds one. */
export function mcpServerWith(tools: readonly ToolDefinition[], name = 'sora2-mcp'): McpServer {
  return new McpServers({
    identity: { name, version: '0.0.0' },
    instructions: 'test',
    tools,
    presenter: new Presenter(silentLogger),
    catalog: new MediaCatalog(new InMemoryMediaStore()),
    ownership: new JobOwnership(new InMemoryJobRegistry(), { enforced: false, recordsJobs: false }),
    gate: new ExitGate([]),
    logLevel: () => 'info',
  }).create();
}

/**
 * The whole server in this process, configured for a gateway fake, with a 2025-11-25 SDK client over an in-memory pair:
 * for property tests that make hundreds of calls.
 */
export async function inProcessClient(
  gateway: { baseURL: string; apiKey: string },
  folder: string,
  env: Record<string, string> = {},
): Promise<{ client: Client; close: () => Promise<void> }> {
  const sora2 = createSora2Server({
    env: {
      OPENAI_BASE_URL: gateway.baseURL,
      SORA2_MCP_API_KEY: gateway.apiKey,
      MEDIA_GEN_DIRS: folder,
      SORA2_MCP_LOG_LEVEL: 'silent',
      ...env,
    },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await sora2.connect(serverSide);
  const client = new Client({ name: 'in-process', version: '1' });
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close();
      await sora2.close();
    },
  };
}
