import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult, ClientCapabilities } from '@modelcontextprotocol/server';
import type { ToolDefinition } from './tools';
import { z } from 'zod';
import type { MediaCatalog } from './media-catalog';
import { DEFAULT_USER, type JobOwnership } from '../application/job-ownership';
import type { Presenter } from './presenter';
import { serverBytes } from './server-bytes';
import { VIDEO_VIEW_URI, VIEW_READ_MAX_BYTES, VIEW_READ_TOOL } from './view-contract';
import type * as AppsServer from '@modelcontextprotocol/ext-apps/server' with { 'resolution-mode': 'import' };

export { VIDEO_VIEW_URI };

/**
 * ext-apps' server helpers. The package is ESM only; the bundles (bin and library) inline it, and
 * the tests transform it, so a synchronous require serves everywhere.
 */
export function appsServer(): typeof AppsServer {
  return require('@modelcontextprotocol/ext-apps/server') as typeof AppsServer;
}

let html: string | undefined;

/** The view's HTML, built from src/mcp/view by `npm run build` (scripts/build-view.js), read on first use. */
export function videoViewHtml(): string {
  if (html !== undefined) return html;
  const candidates = [
    path.join(__dirname, 'view', 'video.html'), // the bundles: build/index.js, build/lib.js (and server/ in the .mcpb)
    path.join(__dirname, '..', 'view', 'video.html'), // tsc's per-module output: build/mcp/
    path.join(__dirname, '..', '..', 'build', 'view', 'video.html'), // the sources, under ts-jest
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('the video view is not built: run npm run build');
  html = readFileSync(found, 'utf8');
  return html;
}

/** The `resources/read` answer for the view: the MCP Apps MIME type, and the spec's restrictive CSP (nothing to declare). */
export function videoViewContents() {
  return {
    contents: [
      // The view's own HTML, from the build: left whole by the exit gate.
      serverBytes(
        {
          uri: VIDEO_VIEW_URI,
          mimeType: appsServer().RESOURCE_MIME_TYPE,
          text: videoViewHtml(),
          _meta: { ui: { prefersBorder: true } },
        },
        'text',
      ),
    ],
  };
}

/**
 * A tool's link to its view, exactly as ext-apps' registerAppTool writes it (a unit test holds them equal), set
 * without loading ext-apps at start-up: the cold start is measured, and the helper is only needed at read time.
 */
export function viewLink(resourceUri: string): Record<string, unknown> {
  return { ui: { resourceUri }, 'ui/resourceUri': resourceUri };
}

const VIEW_READ_INPUT = z.object({
  uri: z.string().min(1).describe('URI of a saved item, as its resource_link gave it.'),
  offset: z.number().int().min(0).describe('First byte to read.'),
  length: z.number().int().min(1).max(VIEW_READ_MAX_BYTES).describe(`Bytes to read, at most ${VIEW_READ_MAX_BYTES}.`),
});
const VIEW_READ_OUTPUT = z.object({
  uri: z.string(),
  offset: z.number().int(),
  length: z.number().int(),
  total_bytes: z.number().int(),
  mime_type: z.string(),
  data_base64: z.string(),
});

/**
 * The app-only tool that reads a byte range of a stored image or video, so the view can show media
 * it cannot fetch itself (the iframe reaches neither `file://` nor the provider). Confined exactly as
 * `resources/read` is: only items the store finds by URI, media only. Listed only to clients that render apps.
 */
export function viewReadTool(catalog: MediaCatalog, presenter: Presenter, ownership: JobOwnership): ToolDefinition {
  return {
    name: VIEW_READ_TOOL,
    title: 'Read media for the video view',
    description: "Reads a byte range of a saved video or image, for the video view's player. Used by the view only.",
    inputSchema: VIEW_READ_INPUT,
    outputSchema: VIEW_READ_OUTPUT,
    annotations: { title: 'Read media for the video view', readOnlyHint: true, destructiveHint: false, openWorldHint: false },
    view: VIDEO_VIEW_URI,
    appOnly: true,
    async handle(args, context): Promise<CallToolResult> {
      const { uri, offset, length } = args as z.output<typeof VIEW_READ_INPUT>;
      try {
        const owned = await ownership.files(context.caller ?? DEFAULT_USER);
        const { file, bytes } = await catalog.readRange(uri, offset, length, owned);
        const structured = serverBytes(
          {
            uri: file.uri,
            offset,
            length: bytes.length,
            total_bytes: file.sizeBytes,
            mime_type: file.mimeType,
            data_base64: Buffer.from(bytes).toString('base64'),
          },
          'data_base64',
        );
        return {
          content: [{ type: 'text', text: `bytes ${offset}-${offset + bytes.length - 1} of ${file.sizeBytes} of ${file.name}` }],
          structuredContent: structured,
        };
      } catch (error) {
        return presenter.error(error);
      }
    },
  };
}

/** Whether the client renders MCP Apps (it declared the `io.modelcontextprotocol/ui` extension), as ext-apps' getUiCapability reads it. */
export function rendersApps(capabilities: ClientCapabilities | undefined): boolean {
  return (capabilities as { extensions?: Record<string, unknown> } | undefined)?.extensions?.[UI_EXTENSION] !== undefined;
}

/** The MCP Apps extension's identifier in client capabilities. */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';

/** What a tool's `_meta` says of its view: the link, and for an app-only tool that only the view calls it. */
export function viewMeta(tool: ToolDefinition): Record<string, unknown> | undefined {
  if (!tool.view) return undefined;
  const link = viewLink(tool.view);
  return tool.appOnly ? { ...link, ui: { ...(link.ui as object), visibility: ['app'] } } : link;
}
