import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';
import type { VideoJobResult } from '../application/job-result';
import type { ModelList } from '../application/use-cases/list-models';
import type { CancelResult } from '../application/use-cases/cancel-video';
import type { Previews } from './media-catalog';
import { formatBytes } from '../domain/bytes';
import { freezeDeep } from '../domain/immutable';
import { downloadFailed, isDomainError } from '../domain/errors';
import type { ClipFacts, Logger, StoredMedia } from '../domain/ports';
import type { FrameResult, JoinResult } from '../application/use-cases/edit-videos';
import type { SequenceResult } from '../application/use-cases/create-sequence';
import type { Video, VideoDeleteResponse, VideoPage, VideoVariant } from '../domain/video';
import type { BudgetsLeft, CostEstimate } from '../application/spending-ledger';
import { describeError, describeProblems, describeStored, GENERIC, type Vocabulary } from './error-words';
import { IMAGE_PREVIEW_MAX_BYTES, INLINE_DOWNLOAD_MAX_BYTES, RESOURCE_READ_MAX_BYTES } from './limits';
import { serverBytes } from './server-bytes';

export type { Vocabulary } from './error-words';

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

  cancelled(result: CancelResult): CallToolResult {
    const value = {
      id: result.id,
      object: 'video.cancel',
      outcome: result.outcome,
      ...(result.providerStatus === undefined ? {} : { provider_status: result.providerStatus }),
      estimate_released: result.estimateReleased,
    };
    const said =
      result.outcome === 'cancelled'
        ? `Cancelled video ${result.id} before it ran: it made nothing and costs nothing${result.estimateReleased ? '; its estimate is no longer counted against any budget' : ''}.`
        : `Asked the provider to stop video ${result.id}, which was already running: it may still finish and be billed, so its estimate stays counted. Follow it with ${this.words.retrieve}.`;
    return this.success(value, said);
  }

  deleted(response: VideoDeleteResponse): CallToolResult {
    return this.success(response, response.deleted ? `Deleted video ${response.id}.` : `Video ${response.id} was not deleted.`);
  }

  /** The last models answer: the same list and budgets (most calls, between jobs) make the same answer, so it is made once. */
  private lastModels?: { list: ModelList; budget: string; answer: CallToolResult };

  models(list: ModelList, budget?: BudgetsLeft): CallToolResult {
    const key = JSON.stringify(budget ?? null);
    const last = this.lastModels;
    if (last?.list === list && last.budget === key) return last.answer;
    const answer = freezeDeep(this.modelsAnswer(list, budget));
    this.lastModels = { list, budget: key, answer };
    return answer;
  }

  private modelsAnswer(list: ModelList, budget?: BudgetsLeft): CallToolResult {
    const reported = list.models.filter((model) => model.reported_by_provider).length;
    const unavailable = list.providerUnavailable ? describeError(list.providerUnavailable, this.words) : undefined;
    const value = {
      object: 'list',
      data: list.models,
      provider_models: unavailable === undefined ? 'listed' : `not available: ${unavailable}`,
      ...(budget ? { budget: budgetValue(budget) } : {}),
    };
    const summary =
      `${list.models.length} model(s): ${list.models.filter((model) => model.source !== 'provider').length} from the catalog, ` +
      `${reported} reported by the provider` +
      (unavailable === undefined ? '.' : `. The provider's own list is not available: ${unavailable}`) +
      describeBudget(budget);
    return this.success(value, summary);
  }

  job(result: VideoJobResult, previews: Previews = new Map(), budget?: BudgetsLeft): CallToolResult {
    const links = result.files.flatMap((file) => fileBlocks(file, previews.get(file.uri)));
    const saved = result.files.map((file) => `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.location}.`);
    const problems = describeProblems(result.problems ?? [], this.words);
    if (result.failure || !result.video) {
      // The failure is the first variant's problem, when nothing could be saved: the others are named beside it.
      return this.error(result.failure, links, problems.slice(1));
    }
    const video = {
      ...result.video,
      ...(result.estimate ? { estimated_cost_usd: result.estimate.usd } : {}),
      ...(budget ? { budget: budgetValue(budget) } : {}),
    };
    const cost = describeCost(result.estimate, result.video);
    const left = describeBudget(budget).trim();
    return this.success(video, [describeVideo(result.video), ...cost, ...(left ? [left] : []), ...saved, ...problems].join('\n'), links);
  }

  /**
   * The `sora2` tool set's `download_video` result: the file on disk, plus its bytes as base64 when the
   * asset is small enough to inline safely; above the cap the note points to the file.
   */
  inlineDownload(result: VideoJobResult, variant: VideoVariant, previews: Previews): CallToolResult {
    const file = result.files[0];
    if (result.failure || !file || !result.video)
      return this.error(result.failure ?? downloadFailed({ reason: 'nothing_saved', variant }), result.files.map(linkBlock));
    const bytes = previews.get(file.uri);
    const inlined = bytes !== undefined && file.sizeBytes <= INLINE_DOWNLOAD_MAX_BYTES;
    // Not inlined: an image still comes back as an image block (up to its cap), as in the default set.
    const blocks = inlined ? [linkBlock(file)] : fileBlocks(file, bytes);
    const shown = blocks.some((block) => block.type === 'image');
    const readable = file.sizeBytes <= RESOURCE_READ_MAX_BYTES;
    const where = readable
      ? `use the file at ${file.location} (or read the resource ${file.uri})`
      : `use the file at ${file.location} (it is too large for resources/read, which serves up to ${formatBytes(RESOURCE_READ_MAX_BYTES)})`;
    const value = serverBytes(
      {
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
          : shown
            ? `The ${variant} is ${file.sizeBytes} bytes, above the ${INLINE_DOWNLOAD_MAX_BYTES}-byte limit of data_base64, so it comes back as an image block instead; the file is at ${file.location}.`
            : `The ${variant} is ${file.sizeBytes} bytes, above the ${INLINE_DOWNLOAD_MAX_BYTES}-byte inline limit, so it is not inlined: ${where}.`,
      },
      'data_base64',
    );
    // Inline bytes are sent once: the JSON text copy says where they are, and no image block repeats them.
    const textCopy = inlined ? { ...value, data_base64: `(${file.sizeBytes} bytes, base64 in structuredContent.data_base64)` } : value;
    return this.success(
      value,
      `Saved ${file.name} (${file.mimeType}, ${formatBytes(file.sizeBytes)}) at ${file.location}`,
      blocks,
      textCopy,
    );
  }

  frame(made: FrameResult, previews: Previews): CallToolResult {
    const { file } = made;
    const value = {
      object: 'video.frame',
      ...savedAt(file),
      at: made.at,
      source: clipValue(made.source),
    };
    const which = typeof made.at === 'number' ? `the frame at ${made.at} s` : `the ${made.at} frame`;
    return this.success(
      value,
      `Saved ${which} of the ${made.source.durationSeconds} s video as ${file.name} (${formatBytes(file.sizeBytes)}) at ${file.location}. ` +
        `Pass that path as input_reference to ${this.words.create} to start a shot from it.`,
      fileBlocks(file, previews.get(file.uri)),
    );
  }

  joined(made: JoinResult): CallToolResult {
    const { file } = made;
    const value = {
      object: 'video.join',
      ...savedAt(file),
      duration_seconds: made.durationSeconds,
      reencoded: made.reencoded,
      sources: made.sources.map(clipValue),
    };
    const how = made.reencoded ? "encoded once to the first clip's size and frame rate" : 'copied as they are';
    return this.success(
      value,
      `Joined ${made.sources.length} videos (${how}) into ${file.name}: ${made.durationSeconds} s, ${formatBytes(file.sizeBytes)}, at ${file.location}.`,
      [linkBlock(file)],
    );
  }

  /** A sequence's state; a sequence stopped by a failure is an error that still says its id, its shots and how to go on. */
  sequence(result: SequenceResult): CallToolResult {
    const { sequence } = result;
    const shots = sequence.shots.map((shot, index) => ({
      shot: index + 1,
      prompt: typeof shot.request.prompt === 'string' ? shot.request.prompt : '',
      video_id: shot.videoId ?? null,
      status: shot.status ?? null,
      progress: shot.progress ?? null,
      estimated_cost_usd: shot.estimateUsd,
      ...(shot.file ? { file: shot.file.location, uri: shot.file.uri } : {}),
      ...(shot.durationSeconds === undefined ? {} : { duration_seconds: shot.durationSeconds }),
      ...(shot.firstFrame ? { first_frame: shot.firstFrame.location } : {}),
      ...(shot.error ? { error: { code: shot.error.code, message: describeStored(shot.error, this.words) } } : {}),
    }));
    const joined = sequence.joined;
    const value = {
      sequence_id: sequence.id,
      object: 'video.sequence',
      status: sequence.status,
      continuity: sequence.continuity,
      estimated_cost_usd: result.estimate.usd,
      shots,
      ...(joined ? { file: joined.location, uri: joined.uri, duration_seconds: joined.durationSeconds, reencoded: joined.reencoded } : {}),
    };
    const links = [...sequence.shots.flatMap((shot) => (shot.file ? [linkBlock(shot.file)] : [])), ...(joined ? [linkBlock(joined)] : [])];
    const lines = sequence.shots.map(
      (shot, index) =>
        `Shot ${index + 1}: ${shot.status ?? 'not started'}${shot.progress === undefined || shot.file ? '' : ` (${shot.progress}%)`}` +
        `${shot.videoId ? `, video ${shot.videoId}` : ''}${shot.file ? `, saved at ${shot.file.location}` : ''}` +
        `${shot.estimateUsd === null ? '' : `, estimated $${shot.estimateUsd.toFixed(2)}`}.`,
    );
    const total =
      result.estimate.usd === null
        ? 'Estimated cost: unknown (no price is known).'
        : `Estimated cost of the shots made in this call: $${result.estimate.usd.toFixed(2)} in all.`;
    if (result.failure) {
      const said = `${describeError(result.failure, this.words)} (code: ${result.failure.code})`;
      const next =
        `Sequence ${sequence.id} stopped. Call ${this.words.sequence} again with sequence_id "${sequence.id}" to continue it` +
        ' (pass shots, with the failed shot changed, to make it anew): shots already made are kept and not paid for again.';
      return {
        isError: true,
        content: [...links, { type: 'text', text: [said, next, ...lines].join('\n') }, { type: 'text', text: JSON.stringify(value) }],
      };
    }
    const state =
      sequence.status === 'completed'
        ? `Sequence ${sequence.id} is complete: ${sequence.shots.length} shots joined into ${joined!.name} (${joined!.durationSeconds} s) at ${joined!.location}.`
        : `Sequence ${sequence.id} is under way. Call ${this.words.sequence} again with sequence_id "${sequence.id}" to continue it.`;
    return this.success(value, [state, total, ...lines].join('\n'), links);
  }

  /** Any failure as an `isError` result; unexpected ones are logged in full and summarised. */
  error(error: unknown, leading: ContentBlock[] = [], notes: readonly string[] = []): CallToolResult {
    let text: string;
    if (isDomainError(error)) {
      text = `${[describeError(error, this.words), ...notes].join(' ')} (code: ${error.code})`;
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

/** What the job should cost, and what the provider said it cost. */
function budgetValue(budget: BudgetsLeft) {
  const part = (p: BudgetsLeft['user']) => p && { budget_usd: p.budgetUsd, spent_usd: p.spentUsd, left_usd: p.leftUsd };
  return {
    period: budget.period,
    ...(budget.user ? { user: part(budget.user) } : {}),
    ...(budget.team ? { team: part(budget.team) } : {}),
  };
}

/** " Left this day: $3.20 of your $5.00, $41.00 of the team's $50.00." or nothing. */
function describeBudget(budget: BudgetsLeft | undefined): string {
  if (!budget || (!budget.user && !budget.team)) return '';
  const parts = [
    budget.user && `$${budget.user.leftUsd.toFixed(2)} of your $${budget.user.budgetUsd.toFixed(2)}`,
    budget.team && `$${budget.team.leftUsd.toFixed(2)} of the team's $${budget.team.budgetUsd.toFixed(2)}`,
  ].filter(Boolean);
  const period = budget.period === 'all' ? 'in all' : `this ${budget.period} (UTC)`;
  return ` Budget left ${period}: ${parts.join(', ')}.`;
}

function describeCost(estimate: CostEstimate | undefined, video: Video): string[] {
  const lines: string[] = [];
  if (estimate) {
    lines.push(
      estimate.usd === null
        ? `Estimated cost: unknown (no price is known for ${estimate.model}).`
        : `Estimated cost: $${estimate.usd.toFixed(2)} (${estimate.seconds} s at $${estimate.usdPerSecond}/s${estimate.resolution ? `, ${estimate.resolution}` : ''}${estimate.audio === undefined ? '' : estimate.audio ? ', with sound' : ', silent'}).`,
    );
  }
  if (typeof video.cost_usd === 'number') lines.push(`The provider reported the cost: $${video.cost_usd.toFixed(2)}.`);
  return lines;
}

function describeVideo(video: Video): string {
  const word = typeof video.provider_status === 'string' ? ` (provider status: ${video.provider_status})` : '';
  const parts = [`Video ${video.id}: ${video.status}${word} (${video.progress}%)`];
  if (video.status === 'failed' && video.error) parts.push(`error ${video.error.code}: ${video.error.message}`);
  if (video.remixed_from_video_id) parts.push(`remix of ${video.remixed_from_video_id}`);
  return parts.join('; ');
}

function clipValue(facts: ClipFacts) {
  return {
    duration_seconds: facts.durationSeconds,
    width: facts.width,
    height: facts.height,
    codec: facts.codec,
    frame_rate: facts.frameRate,
    ...(facts.audio ? { audio: facts.audio } : {}),
  };
}

/** Where a made file is: its path, its resource URI and its size, as the frame and join results give them. */
function savedAt(file: StoredMedia): { file: string; uri: string; size_bytes: number } {
  return { file: file.location, uri: file.uri, size_bytes: file.sizeBytes };
}

/** A resource_link per file, and for a small image (thumbnail, spritesheet) the image itself, so the model can see it. */
function linkBlock(file: StoredMedia): ContentBlock {
  return { type: 'resource_link', uri: file.uri, name: file.name, mimeType: file.mimeType, size: file.sizeBytes };
}

function fileBlocks(file: StoredMedia, bytes: Uint8Array | undefined): ContentBlock[] {
  const link = linkBlock(file);
  if (!bytes || !file.mimeType.startsWith('image/') || file.sizeBytes > IMAGE_PREVIEW_MAX_BYTES) return [link];
  return [link, serverBytes({ type: 'image' as const, data: Buffer.from(bytes).toString('base64'), mimeType: file.mimeType }, 'data')];
}
