import type { McpServer } from '@modelcontextprotocol/server';
import { MediaCatalog } from '../../src/application/media-catalog';
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
