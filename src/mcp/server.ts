import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressListener } from '../application/progress';
import type { Presenter } from './presenter';
import { describeInvalidArguments } from './input-errors';
import type { ToolContext, ToolDefinition } from './tool';
import { viewLink } from './video-view';

/** The server's icon (a play button on a frame), inline: no URL to fetch, nothing to host. */
const ICON =
  'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3QgeD0iNCIgeT0iMTIiIHdpZHRoPSI1NiIgaGVpZ2h0PSI0MCIgcng9IjYiIGZpbGw9IiMxZjI5MzciLz48cGF0aCBkPSJNMjYgMjJ2MjBsMTgtMTB6IiBmaWxsPSIjZjU5ZTBiIi8+PC9zdmc+';

export interface ServerIdentity {
  name: string;
  version: string;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Builds the MCP server from an explicit list of tools; nothing is registered as a side effect elsewhere. */
export function createMcpServer(
  identity: ServerIdentity,
  tools: readonly ToolDefinition[],
  presenter: Presenter,
  instructions = 'Create, follow, download, remix, list and delete generated videos.',
): McpServer {
  const server = new McpServer(
    {
      name: identity.name,
      version: identity.version,
      title: 'Sora2 MCP',
      icons: [{ src: ICON, mimeType: 'image/svg+xml', sizes: ['any'] }],
    },
    { capabilities: { logging: {} }, instructions },
  );
  for (const tool of tools) {
    const config = {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    };
    const handler = async (args: unknown, extra: Extra) => {
      const context = toolContext(extra);
      try {
        return await tool.handle(args as never, context);
      } catch (error) {
        return presenter.error(error);
      } finally {
        // Progress notifications go out before the response, never after it.
        await context.flush();
      }
    };
    // A tool with a view is linked to it the MCP Apps way (`_meta.ui.resourceUri`); hosts without apps ignore the link.
    if (tool.view) server.registerTool(tool.name, { ...config, _meta: viewLink(tool.view) }, handler);
    else server.registerTool(tool.name, config, handler);
  }
  speakForRefusedArguments(server, tools);
  return server;
}

type InputValidator = (tool: unknown, args: unknown, name: string) => Promise<unknown>;

/**
 * Arguments a tool's schema refuses become an error result in our own voice (field, what was wrong, the fix, the code)
 * rather than the SDK's "MCP error -32602: Input validation error: …". The SDK has no option for this, so its one
 * validation step is replaced on this instance for our tools; a tool registered by anyone else keeps the SDK's.
 * The SDK still catches what is thrown here and returns it as an `isError` result with text only (no structuredContent).
 */
function speakForRefusedArguments(server: McpServer, tools: readonly ToolDefinition[]): void {
  const internals = server as unknown as { validateToolInput?: InputValidator };
  const original = internals.validateToolInput;
  // A test fails if an SDK upgrade moves this step; until then nothing else about the SDK's behaviour changes.
  if (typeof original !== 'function') throw new Error('The MCP SDK no longer validates tool input in validateToolInput.');
  const schemas = new Map(tools.map((tool) => [tool.name, tool.inputSchema]));
  internals.validateToolInput = async (tool, args, name) => {
    const schema = schemas.get(name);
    if (!schema) return original.call(server, tool, args, name);
    const parsed = await schema.safeParseAsync(args ?? {});
    if (parsed.success) return parsed.data;
    throw new Error(describeInvalidArguments(parsed.error, schema));
  };
}

function toolContext(extra: Extra): ToolContext & { flush(): Promise<void> } {
  const token = extra._meta?.progressToken;
  if (token === undefined) return { signal: extra.signal, flush: async () => undefined };
  let sent: Promise<void> = Promise.resolve();
  const onProgress: ProgressListener = (update) => {
    // Chained, so notifications leave in the order they were made.
    sent = sent
      .then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...update } }))
      .catch(() => undefined);
  };
  return { signal: extra.signal, onProgress, flush: () => sent };
}
