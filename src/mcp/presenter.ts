import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { VideoJobResult } from '../application/job-result';
import type { ModelList } from '../application/use-cases/list-models';
import type { Previews } from '../application/media-catalog';
import { formatBytes } from '../application/variant-downloader';
import { isDomainError, type DomainError } from '../domain/errors';
import type { Logger, StoredMedia } from '../domain/ports';
import type { Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../domain/video';
import { IMAGE_PREVIEW_MAX_BYTES } from './limits';

/** The names of a tool set's own tools, so a message never points to a tool the client does not have. */
export interface Vocabulary {
  create: string;
  retrieve: string;
  download: string;
  models: string;
}

const GENERIC: Vocabulary = {
  create: 'the create tool',
  retrieve: 'the retrieve tool',
  download: 'the download tool',
  models: 'the models tool',
};

/**
 * Builds every tool result. `structuredContent` and the final JSON text block come from the same
 * value; error results carry no `structuredContent` (so they can never violate an output schema).
 * Everything then leaves through the exit gate, which redacts and bounds it.
 */
export class Presenter {
  constructor(
    private readonly logger: Logger,
    private readonly words: Vocabulary = GENERIC,
  ) {}

  /** The same presenter, speaking of one tool set's tools. */
  speaking(words: Vocabulary): Presenter {
    return new Presenter(this.logger, words);
  }

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

  models(list: ModelList): CallToolResult {
    const reported = list.models.filter((model) => model.reported_by_provider).length;
    const unavailable = list.providerUnavailable?.message;
    const value = {
      object: 'list',
      data: list.models,
      provider_models: unavailable === undefined ? 'listed' : `not available: ${unavailable}`,
    };
    const summary =
      `${list.models.length} model(s): ${list.models.filter((model) => model.source !== 'provider').length} from the catalog, ` +
      `${reported} reported by the provider` +
      (unavailable === undefined ? '.' : ` (the provider's own list is not available: ${unavailable}).`);
    return this.success(value, summary);
  }

  job(result: VideoJobResult, previews: Previews = new Map()): CallToolResult {
    const links = result.files.flatMap((file) => fileBlocks(file, previews.get(file.uri)));
    if (result.failure || !result.video) return this.error(result.failure, links);
    const saved = result.files.map((file) => `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.location}`);
    return this.success(result.video, [describeVideo(result.video), ...saved].join('\n'), links);
  }

  /**
   * The `sora2` tool set's `download_video` result: the file on disk, plus its bytes as base64 when the
   * asset is small enough to inline safely; above the cap the note points to the file.
   */
  inlineDownload(result: VideoJobResult, variant: VideoVariant, inlineMaxBytes: number, inline: Previews): CallToolResult {
    const file = result.files[0];
    if (result.failure || !file || !result.video)
      return this.error(result.failure ?? new Error('no file was saved'), result.files.map(linkBlock));
    const bytes = inline.get(file.uri);
    const inlined = bytes !== undefined && file.sizeBytes <= inlineMaxBytes;
    const value = {
      video_id: result.video.id,
      variant,
      size_bytes: file.sizeBytes,
      mime_type: file.mimeType,
      file: file.location,
      uri: file.uri,
      ...(inlined ? { data_base64: Buffer.from(bytes).toString('base64') } : {}),
      inlined,
      note: inlined
        ? `The ${variant} is saved at ${file.location}; data_base64 holds the same bytes.`
        : `The ${variant} is ${file.sizeBytes} bytes, above the ${inlineMaxBytes}-byte inline limit, so it is not inlined: use the file at ${file.location} (resource ${file.uri}).`,
    };
    // Inline bytes are sent once: the JSON text copy says where they are, and no image block repeats them.
    const textCopy = inlined ? { ...value, data_base64: `(${file.sizeBytes} bytes, base64 in structuredContent.data_base64)` } : value;
    return this.success(
      value,
      `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.location}`,
      [linkBlock(file)],
      textCopy,
    );
  }

  /** Any failure as an `isError` result; unexpected ones are logged in full and summarised. */
  error(error: unknown, leading: ContentBlock[] = []): CallToolResult {
    let text: string;
    if (isDomainError(error)) {
      text = `${describeDomainError(error, this.words)} (code: ${error.code})`;
    } else {
      this.logger.log('error', 'unexpected error in a tool call', { error });
      text = 'sora2-mcp hit an unexpected internal error; the server log on stderr has the details. (code: internal_error)';
    }
    // Secrets are removed, and the text bounded, at the one exit gate every message passes (exit-gate.ts).
    return { isError: true, content: [...leading, { type: 'text', text }] };
  }

  private success(value: object, summary: string, leading: ContentBlock[] = [], textCopy: object = value): CallToolResult {
    const structured = value as Record<string, unknown>;
    return {
      content: [...leading, { type: 'text', text: summary }, { type: 'text', text: JSON.stringify(textCopy) }],
      structuredContent: structured,
    };
  }
}

/** The sentence for an error; codes whose words depend on structured details are written here, at the edge. */
function describeDomainError(error: DomainError, words: Vocabulary): string {
  const base = describeCode(error, words);
  // After the paid job exists, the way to follow it up, in this tool set's words.
  const created = error.details?.created_video_id;
  return typeof created === 'string' ? `${base} Check it with ${words.retrieve} rather than creating another.` : base;
}

function describeCode(error: DomainError, words: Vocabulary): string {
  if (error.code === 'job_timeout') {
    return `${error.message} Check it later with ${words.retrieve} and save it with ${words.download} when it is completed, or call again with a larger timeout_ms.`;
  }
  if (error.details?.rule === 'file_needs_wait') {
    return `${error.message}: set wait_for_completion=true, or leave file out and save it later with ${words.download}.`;
  }
  if (error.code === 'reference_image_size_mismatch' && error.details) {
    const { image, size, defaulted } = error.details as { image: string; size: string; defaulted?: boolean };
    return (
      `input_reference is ${image} but the video size is ${size}${defaulted ? ' (the API default, as no size was given)' : ''}; the API requires the reference image to match the video size exactly. ` +
      'Fix: set input_reference_fit to "cover" (scale and centre-crop), "contain" (scale and pad; input_reference_background ' +
      `blur, black, white or #rrggbb) or "stretch"; or choose a size matching the image (${words.models} lists each model's sizes); ` +
      `or resize the image to ${size} yourself.`
    );
  }
  if (/in the allowed folders/.test(error.message) && !error.message.includes('MEDIA_GEN_DIRS')) {
    return error.message.replace('in the allowed folders', 'in the allowed folders (MEDIA_GEN_DIRS)');
  }
  return describeConstraint(error, words);
}

function describeConstraint(error: DomainError, words: Vocabulary): string {
  if (error.code === 'file_exists' && error.details) {
    return (
      `${error.message.replace(/^file: /, 'The file ')}, and files are never replaced unless you ask. ` +
      'Pass another file name, leave file out to save under a free name, or pass overwrite: true to replace it.'
    );
  }
  if (error.code !== 'model_constraint' || !error.details) return error.message;
  const { model, value, allowed, requirement, source } = error.details as {
    model: string;
    value?: string;
    allowed?: string[];
    requirement?: string;
    source?: string;
  };
  const from = source ? ` (source: ${source})` : '';
  if (error.field === 'input_reference') {
    return requirement === 'required'
      ? `Model ${model} needs a reference image${from}: pass input_reference (a JPEG, PNG or WebP of the video size). Nothing was sent.`
      : `Model ${model} takes no reference image${from}: leave input_reference out, or pick a model that takes one. Nothing was sent.`;
  }
  return (
    `${error.field} ${value} is not offered by model ${model}; it takes ${(allowed ?? []).join(', ')}${from}. ` +
    `Pick one of those, or a model that takes ${value} (${words.models} lists them). Nothing was sent.`
  );
}

function describeVideo(video: Video): string {
  const word = typeof video.provider_status === 'string' ? ` (provider status: ${video.provider_status})` : '';
  const parts = [`Video ${video.id}: ${video.status}${word} (${video.progress}%)`];
  if (video.status === 'failed' && video.error) parts.push(`error ${video.error.code}: ${video.error.message}`);
  if (video.remixed_from_video_id) parts.push(`remix of ${video.remixed_from_video_id}`);
  return parts.join('; ');
}

/** A resource_link per file, and for a small image (thumbnail, spritesheet) the image itself, so the model can see it. */
function linkBlock(file: StoredMedia): ContentBlock {
  return { type: 'resource_link', uri: file.uri, name: file.name, mimeType: file.mimeType, size: file.sizeBytes };
}

function fileBlocks(file: StoredMedia, bytes: Uint8Array | undefined): ContentBlock[] {
  const link = linkBlock(file);
  if (!bytes || !file.mimeType.startsWith('image/') || file.sizeBytes > IMAGE_PREVIEW_MAX_BYTES) return [link];
  return [link, { type: 'image', data: Buffer.from(bytes).toString('base64'), mimeType: file.mimeType }];
}
