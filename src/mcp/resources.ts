import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, ListResourcesRequestSchema, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { MediaCatalog } from '../application/media-catalog';
import { isDomainError } from '../domain/errors';
import { formatBytes } from '../domain/bytes';
import { RESOURCE_READ_MAX_BYTES } from './limits';
import { serverBytes } from './server-bytes';

/** In each listed resource's `_meta`: whether `resources/read` serves it (false: too large; open the file at its location). */
export const READABLE_META = 'io.github.sora2-mcp/readable';
import { VIDEO_VIEW_URI, videoViewContents } from './video-view';

/**
 * Media this server has written, as MCP resources: for clients that cannot open a `file://` link.
 * `resources/list` shows the files still on disk; `resources/read` returns any file under the roots
 * by its URI, up to a size cap; `notifications/resources/list_changed` follows every new file.
 */
export function registerMediaResources(server: McpServer, catalog: MediaCatalog): void {
  const low = server.server;
  low.registerCapabilities({ resources: { listChanged: true } });
  low.setRequestHandler(ListResourcesRequestSchema, async () => ({
    // Every saved file is listed; one too large for resources/read says so, and where to open it instead.
    resources: (await catalog.list()).map((file) => {
      const readable = file.sizeBytes <= RESOURCE_READ_MAX_BYTES;
      return {
        uri: file.uri,
        name: file.name,
        title: file.name,
        mimeType: file.mimeType,
        size: file.sizeBytes,
        description: readable
          ? `Saved by sora2-mcp at ${file.location}`
          : `Saved by sora2-mcp at ${file.location}. Too large to read through MCP (${formatBytes(file.sizeBytes)}; resources/read serves up to ${formatBytes(RESOURCE_READ_MAX_BYTES)}): open the file there.`,
        _meta: { [READABLE_META]: readable },
      };
    }),
  }));
  low.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    // The MCP Apps view is a UI-only resource: readable, and (as the spec allows) not listed.
    if (request.params.uri === VIDEO_VIEW_URI) return videoViewContents();
    try {
      const { file, bytes } = await catalog.read(request.params.uri, RESOURCE_READ_MAX_BYTES);
      return { contents: [serverBytes({ uri: file.uri, mimeType: file.mimeType, blob: Buffer.from(bytes).toString('base64') }, 'blob')] };
    } catch (error) {
      // A JSON-RPC error with our sentence as its message (McpError would prefix "MCP error -32602:", and clients prefix it again).
      if (isDomainError(error)) {
        throw Object.assign(new Error(error.message), {
          code: error.code === 'not_found' ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest,
        });
      }
      throw error;
    }
  });
  catalog.onChange(() => {
    if (server.isConnected()) server.sendResourceListChanged();
  });
}
