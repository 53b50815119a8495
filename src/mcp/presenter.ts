import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { VideoJobResult } from '../application/job-result';
import { formatBytes } from '../application/download-variants';
import { isDomainError } from '../domain/errors';
import type { Logger, SavedMedia } from '../domain/ports';
import { redactSecrets } from '../domain/redaction';
import type { Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../domain/video';
import { IMAGE_PREVIEW_MAX_BYTES } from './limits';

/**
 * Builds every tool result. `structuredContent` and the final JSON text block come from the same
 * value; error results carry no `structuredContent` (so they can never violate an output schema) and
 * their text passes through the one redaction point.
 */
export class Presenter {
  constructor(
    private readonly secrets: readonly string[],
    private readonly logger: Logger,
  ) {}

  video(video: Video): CallToolResult {
    return this.success(video, describeVideo(video));
  }

  page(page: VideoPage): CallToolResult {
    const more = page.has_more ? ` More: pass after="${page.last_id}".` : '';
    return this.success(page, `${page.data.length} video(s).${more}`);
  }

  deleted(response: VideoDeleteResponse): CallToolResult {
    return this.success(response, response.deleted ? `Deleted video ${response.id}.` : `Video ${response.id} was not deleted.`);
  }

  job(result: VideoJobResult): CallToolResult {
    const links = result.files.flatMap(fileBlocks);
    if (result.failure || !result.video) return this.error(result.failure, links);
    const saved = result.files.map((file) => `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.path}`);
    return this.success(result.video, [describeVideo(result.video), ...saved].join('\n'), links);
  }

  /**
   * The README seed's `download_video` result: the file on disk, plus its bytes as base64 when the
   * asset is small enough to inline safely; above the cap the note points to the file.
   */
  inlineDownload(result: VideoJobResult, variant: VideoVariant, inlineMaxBytes: number): CallToolResult {
    const file = result.files[0];
    if (result.failure || !file || !result.video) return this.error(result.failure ?? new Error('no file was saved'), result.files.flatMap(fileBlocks));
    const inlined = file.bytes !== undefined && file.sizeBytes <= inlineMaxBytes;
    const value = {
      video_id: result.video.id,
      variant,
      size_bytes: file.sizeBytes,
      mime_type: file.mimeType,
      file: file.path,
      uri: file.uri,
      ...(inlined ? { data_base64: Buffer.from(file.bytes!).toString('base64') } : {}),
      inlined,
      note: inlined
        ? `The ${variant} is saved at ${file.path}; data_base64 holds the same bytes.`
        : `The ${variant} is ${file.sizeBytes} bytes, above the ${inlineMaxBytes}-byte inline limit, so it is not inlined: use the file at ${file.path} (resource ${file.uri}).`,
    };
    return this.success(value, `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.path}`, fileBlocks(file));
  }

  /** Any failure as an `isError` result; unexpected ones are logged in full and summarised. */
  error(error: unknown, leading: ContentBlock[] = []): CallToolResult {
    let text: string;
    if (isDomainError(error)) {
      text = `${error.message} (code: ${error.code})`;
    } else {
      this.logger.log('error', 'unexpected error in a tool call', { error });
      text = 'sora2-mcp hit an unexpected internal error; the server log on stderr has the details. (code: internal_error)';
    }
    return { isError: true, content: [...leading, { type: 'text', text: redactSecrets(text, this.secrets) }] };
  }

  private success(value: object, summary: string, leading: ContentBlock[] = []): CallToolResult {
    const structured = value as Record<string, unknown>;
    return {
      content: [...leading, { type: 'text', text: summary }, { type: 'text', text: JSON.stringify(structured) }],
      structuredContent: structured,
    };
  }
}

function describeVideo(video: Video): string {
  const parts = [`Video ${video.id}: ${video.status} (${video.progress}%)`];
  if (video.status === 'failed' && video.error) parts.push(`error ${video.error.code}: ${video.error.message}`);
  if (video.remixed_from_video_id) parts.push(`remix of ${video.remixed_from_video_id}`);
  return parts.join('; ');
}

/** A resource_link per file, and for a small image (thumbnail, spritesheet) the image itself, so the model can see it. */
function fileBlocks(file: SavedMedia): ContentBlock[] {
  const link: ContentBlock = { type: 'resource_link', uri: file.uri, name: file.name, mimeType: file.mimeType, size: file.sizeBytes };
  if (!file.bytes || !file.mimeType.startsWith('image/') || file.sizeBytes > IMAGE_PREVIEW_MAX_BYTES) return [link];
  return [link, { type: 'image', data: Buffer.from(file.bytes).toString('base64'), mimeType: file.mimeType }];
}
