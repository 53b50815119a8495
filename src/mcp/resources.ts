import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError, type McpServer } from '@modelcontextprotocol/server';
import type { MediaCatalog } from './media-catalog';
import { isDomainError } from '../domain/errors';
import { describeError, GENERIC } from './error-words';
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
export function registerMediaResources(
  server: McpServer,
  catalog: MediaCatalog,
  owned: () => Promise<ReadonlySet<string> | undefined>,
): void {
  const low = server.server;
  low.registerCapabilities({ resources: { listChanged: true } });
  low.setRequestHandler('resources/list', async () => ({
    // Every saved file is listed; one too large for resources/read says so, and where to open it instead.
    resources: (await catalog.list(await owned())).map((file) => {
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
  // Resources are listed one by one (no templates); some clients ask anyway.
  low.setRequestHandler('resources/templates/list', async () => ({ resourceTemplates: [] }));
  low.setRequestHandler('resources/read', async (request) => {
    // The MCP Apps view is a UI-only resource: readable, and (as the spec allows) not listed.
    if (request.params.uri === VIDEO_VIEW_URI) return videoViewContents();
    try {
      const { file, bytes } = await catalog.read(request.params.uri, RESOURCE_READ_MAX_BYTES, await owned());
      return { contents: [serverBytes({ uri: file.uri, mimeType: file.mimeType, blob: Buffer.from(bytes).toString('base64') }, 'blob')] };
    } catch (error) {
      // A JSON-RPC error with our sentence as its message: not found is -32602 (the 2026-07-28 spec's code for it).
      if (isDomainError(error)) {
        const said = describeError(error, GENERIC);
        if (error.code === 'not_found') throw new ResourceNotFoundError(request.params.uri, said);
        throw new ProtocolError(ProtocolErrorCode.InvalidRequest, said);
      }
      throw error;
    }
  });
  // A connection (stdio) is told of every new file while it is open; a request's server is gone before one comes.
  const stop = catalog.onChange(() => {
    if (server.isConnected()) server.sendResourceListChanged();
  });
  const closed = low.onclose;
  low.onclose = () => {
    stop();
    closed?.();
  };
}
