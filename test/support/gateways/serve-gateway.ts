import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startBuiltServer } from '../stdio-server';
import { tempFolder } from '../temp';
import type { GatewayFake } from './gateway-fake';

export type ToolResult = CallToolResult & { structuredContent?: Record<string, unknown> };

/** A gateway fake, the built server over stdio set up by the README's recipe for it, and a temp folder. */
export async function serveGateway<T extends GatewayFake>(gateway: T, env: Record<string, string> = {}) {
  const folder = tempFolder();
  const server = await startBuiltServer({
    OPENAI_BASE_URL: gateway.baseURL,
    SORA2_MCP_API_KEY: gateway.apiKey,
    MEDIA_GEN_DIRS: folder.path,
    ...env,
  });
  const call = async (name: string, args: Record<string, unknown>): Promise<ToolResult> =>
    (await server.client.callTool({ name, arguments: args })) as ToolResult;
  return {
    gateway,
    folder,
    server,
    call,
    close: async () => {
      await server.close();
      await gateway.close();
      folder.remove();
    },
  };
}
