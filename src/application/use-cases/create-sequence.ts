import { roundUsd } from '../../domain/controls';
import {
  CancelledError,
  isDomainError,
  invalidInput,
  notFound,
  shotFailed,
  unexpected,
  withContext,
  type DomainError,
} from '../../domain/errors';
import type { Clock, JobRegistry, SequenceShotState, SequenceState } from '../../domain/ports';
import { stripMediaExtension } from '../../domain/store-names';
import { DEFAULT_USER, type JobOwnership } from '../job-ownership';
import { MonotonicProgress, type RunOptions } from '../progress';
import type { RequestPlanner } from '../request-planner';
import type { ModelDirectory } from '../model-directory';
import { jobRequestText, type CostEstimate, type SpendingLedger } from '../spending-ledger';
import { requestOf } from '../../domain/video-request';
import type { CreateRequestInput, CreateVideo } from './create-video';
import { checkJoinCount, type EditVideos } from './edit-videos';

/** Where a shot's first frame will come from when continuity gives it one: present, for the checks, but not yet made. */
const PREVIOUS_LAST_FRAME = Symbol("the previous shot's last frame");

/** One shot as the caller asks for it: a create's request, without waiting, files or keys (the sequence decides those). */
export type ShotRequest = CreateRequestInput;

export interface SequenceInput {
  /** Continue this sequence (its shots as kept, or `shots` for those not yet made). */
  sequenceId?: string;
  /** The caller's name for the sequence: a repeated call (after a timeout or a cancellation) continues the same one. */
  idempotencyKey?: string;
  shots?: readonly ShotRequest[];
  continuity: 'last_frame' | 'none';
  /** The joined MP4; each shot's own file goes beside it (`scene-shot-1.mp4`). */
  file?: string;
  overwrite?: boolean;
  waitForCompletion: boolean;
  timeoutMs: number;
  pollIntervalMs?: number;
}

export interface SequenceResult {
  sequence: SequenceState & { id: string };
  /** What the shots still to be made were estimated to cost, together, when this call began. */
  estimate: CostEstimate;
  /** Why the sequence stopped, when it did (a shot failed, a cap, a timeout); its state says where. */
  failure?: DomainError;
}

/** How many models a refusal names that can start from a frame. */
const FRAME_TAKERS_NAMED = 5;

/** The share of the progress bar given to the shots; joining takes the rest. */
const SHOTS_SHARE = 95;

/**
 * A multi-shot sequence (issue 33): priced as a whole before anything is sent, each shot made by the one create (so every
 * check, cap, reservation and idempotency rule holds for it), the next shot starting from the previous shot's last frame
 * (extracted by a real decoder and fitted through the input_reference path), and the shots joined into one MP4. Its state
 * is kept where jobs are, so a call with its id continues it on any replica; each shot's job is named by an idempotency
 * key (sequence, shot, attempt), so no shot that exists is made or paid for again.
 */
export class CreateSequence {
  constructor(
    private readonly create: CreateVideo,
    private readonly planner: RequestPlanner,
    private readonly ledger: SpendingLedger,
    private readonly registry: JobRegistry,
    private readonly edits: EditVideos,
    private readonly clock: Clock,
    private readonly directory: ModelDirectory,
    private readonly ownership: JobOwnership,
  ) {}

  async execute(input: SequenceInput, run: RunOptions = {}): Promise<SequenceResult> {
    const owner = run.caller ?? DEFAULT_USER;
    const state = await this.load(input, owner);
    // The shots end as one join.
    checkJoinCount(state.shots.length, 'shots');
    // A shot whose job exists though the state does not say so (a call cancelled or a replica stopped as it was sent): its key finds it.
    if (state.id !== undefined) {
      for (const [index, shot] of state.shots.entries()) {
        if (shot.videoId !== undefined) continue;
        const job = await this.registry.findByKey(owner, shotKey(state.id, index, shot));
        if (job?.videoId !== undefined) shot.videoId = job.videoId;
      }
    }
    // The caller's name for the joined file is checked before anything is paid for, not after every shot was made.
    if (!state.joined && state.file !== undefined && state.shots.some(toMake)) {
      await this.edits.checkVideoTarget(state.file, state.overwrite ?? false);
      // So are the shots' names beside it: a shot refused for its name after the one before it was paid for stops the sequence.
      for (const [index, shot] of state.shots.entries()) {
        if (toMake(shot) && !inFolder(state.file)) {
          await this.edits.checkVideoTarget(`${shotStem(state.file, state.id ?? '', index)}.mp4`, state.overwrite ?? false);
        }
      }
    }
    // Priced as a whole: every shot still to be made, checked against every cap before the first is sent.
    const estimate = await this.price(state, run.signal);
    await this.ledger.checkTotal(estimate, owner, state.shots.filter(toMake).length);
    state.status = 'running';
    const id = await this.registry.saveSequence(state);
    const sequence = { ...state, id };
    const progress = new MonotonicProgress(run.onProgress);
    // Said first, so a person (or a client that loses the answer) knows which sequence to continue.
    const toMakeNow = sequence.shots.filter(toMake).length;
    const price = estimate.usd === null ? 'no price known' : `estimated $${estimate.usd.toFixed(2)}`;
    progress.report(0, `sequence ${id}: ${toMakeNow} of ${sequence.shots.length} shots to make, ${price}`);
    const deadline = this.clock.now() + input.timeoutMs;
    try {
      for (const [index, shot] of sequence.shots.entries()) {
        if (shot.file) continue;
        if (run.signal?.aborted) throw new CancelledError();
        const advanced = await this.advance(sequence, index, input, run, progress, deadline);
        await this.registry.saveSequence(sequence);
        if (advanced === 'failed') {
          sequence.status = 'failed';
          await this.registry.saveSequence(sequence);
          return { sequence, estimate, failure: shotFailure(sequence, index) };
        }
        // A shot still rendering: its successor needs its last frame (or, without waiting, the call returns here).
        if (advanced === 'pending' && (sequence.continuity === 'last_frame' || input.waitForCompletion)) break;
      }
      if (sequence.shots.every((shot) => shot.file) && !sequence.joined) {
        progress.report(SHOTS_SHARE, `joining ${sequence.shots.length} shots`);
        // Without the caller's name, the default moves on to `-2`, … when taken (as every default name does).
        const joined = await this.edits.join(
          {
            sources: sequence.shots.map((shot) => shot.file!.location),
            file: sequence.file,
            stem: sequence.id,
            overwrite: sequence.overwrite,
          },
          { signal: run.signal },
        );
        for (const [index, shot] of sequence.shots.entries()) shot.durationSeconds = joined.sources[index]?.durationSeconds;
        sequence.joined = { ...joined.file, durationSeconds: joined.durationSeconds, reencoded: joined.reencoded };
        // The caller's, as its shots are (team mode: their resources, and the view's reader, show it to them alone).
        await this.ownership.madeFrom(sequence.shots.at(-1)!.videoId, [joined.file.uri]).catch(() => undefined);
        progress.report(100, `joined ${sequence.shots.length} shots into ${joined.file.name}`);
      }
      if (sequence.joined) sequence.status = 'completed';
      await this.registry.saveSequence(sequence);
      return { sequence, estimate };
    } catch (error) {
      await this.registry.saveSequence(sequence).catch(() => undefined);
      if (isDomainError(error) && error.code === 'cancelled') throw error;
      const failure = isDomainError(error) ? error : unexpected(error);
      return { sequence, estimate, failure };
    }
  }

  /** A new sequence from the caller's shots, or a kept one (the caller's own) with any shot not yet made replaced. */
  private async load(input: SequenceInput, owner: string): Promise<SequenceState> {
    const keyed =
      input.sequenceId === undefined && input.idempotencyKey !== undefined
        ? await this.registry.findSequenceByKey(owner, input.idempotencyKey)
        : undefined;
    if (input.sequenceId === undefined && !keyed) {
      if (!input.shots) throw invalidInput('shots', { rule: 'sequence_needs_shots' });
      return {
        owner,
        key: input.idempotencyKey,
        continuity: input.continuity,
        file: input.file,
        overwrite: input.overwrite,
        status: 'running',
        shots: input.shots.map((request) => ({ request: { ...request }, attempt: 1, estimateUsd: null })),
        createdAt: this.clock.now(),
      };
    }
    const kept = keyed ?? (await this.registry.findSequence(input.sequenceId!));
    if (!kept || kept.owner !== owner) {
      throw notFound(
        { reason: 'unknown_sequence', ...(input.sequenceId ? { sequence_id: input.sequenceId } : {}) },
        { field: 'sequence_id' },
      );
    }
    if (input.shots) {
      const made = kept.shots.filter((shot) => shot.file).length;
      if (input.shots.length < made) {
        throw invalidInput('shots', { rule: 'fewer_than_made', made });
      }
      kept.shots = input.shots.map((request, index) => {
        const old = kept.shots[index];
        if (old?.file) return old;
        const asked = request as unknown as Record<string, unknown>;
        if (!old) return { request: asked, attempt: 1, estimateUsd: null };
        if (same(old.request, asked)) return old;
        // Changed after its job was made (a failed prompt fixed): a new attempt, a new job; its first frame stays.
        return { request: asked, attempt: old.attempt + 1, estimateUsd: null, firstFrame: old.firstFrame };
      });
      // A joined sequence is finished: a shot added to it would be paid for and never joined.
      if (kept.joined && kept.shots.some(toMake)) {
        throw invalidInput('shots', { rule: 'sequence_completed', sequence_id: kept.id ?? input.sequenceId ?? '' });
      }
    }
    // Until it is joined, a continued sequence takes the caller's new name for the joined file, or a new overwrite.
    if (!kept.joined) {
      if (input.file !== undefined) kept.file = input.file;
      if (input.overwrite !== undefined) kept.overwrite = input.overwrite;
    }
    return kept;
  }

  /** Plans every shot still to be made (every check of create), and sums their estimates. */
  private async price(state: SequenceState, signal?: AbortSignal): Promise<CostEstimate> {
    let total: number | null = 0;
    let model = '';
    for (const [index, shot] of state.shots.entries()) {
      if (!toMake(shot)) continue;
      const request = requestOf<unknown>(shot.request as unknown as ShotRequest);
      // With continuity, every shot after the first starts from a frame still to be made: checked as a first frame.
      if (state.continuity === 'last_frame' && index > 0) request.inputReference ??= PREVIOUS_LAST_FRAME;
      const plan = await this.planner.planCreate(request, signal).catch(async (error: unknown) => {
        throw inShot(await this.withFrameTakers(error, signal), index);
      });
      shot.estimateUsd = plan.estimate.usd;
      total = total === null || plan.estimate.usd === null ? null : total + plan.estimate.usd;
      model ||= plan.model;
    }
    return { usd: total === null ? null : roundUsd(total), model };
  }

  /** A model that takes no first frame cannot continue a shot: the refusal names models that can. */
  private async withFrameTakers(error: unknown, signal?: AbortSignal): Promise<unknown> {
    if (!isDomainError(error) || error.field !== 'input_reference' || error.details?.requirement !== 'unsupported') return error;
    const takers: string[] = [];
    for (const id of new Set(await this.directory.knownIds(signal).catch(() => []))) {
      const reference = (await this.directory.facts(id, signal).catch(() => undefined))?.capabilities.input_reference;
      if (reference === 'optional' || reference === 'required') takers.push(id);
      if (takers.length === FRAME_TAKERS_NAMED) break;
    }
    return withContext(error, { details: { models_that_can: takers } });
  }

  /** Takes one shot as far as it goes now: its first frame, its job, and (waiting, or when it is done) its file. */
  private async advance(
    sequence: SequenceState & { id: string },
    index: number,
    input: SequenceInput,
    run: RunOptions,
    progress: MonotonicProgress,
    deadline: number,
  ): Promise<'done' | 'pending' | 'failed'> {
    const shot = sequence.shots[index]!;
    const count = sequence.shots.length;
    const said = (message: string) => `shot ${index + 1} of ${count}: ${message}`;
    if (sequence.continuity === 'last_frame' && index > 0 && !shot.firstFrame) {
      progress.report((index / count) * SHOTS_SHARE, said('taking the last frame of the shot before'));
      const previous = sequence.shots[index - 1]!.file!;
      const frame = await this.edits.frame(
        // A free name beside the shots: a file of the user's that holds the name is never replaced.
        { source: previous.location, at: 'last', stem: `${shotStem(sequence.file, sequence.id, index)}-first-frame` },
        { signal: run.signal },
      );
      shot.firstFrame = frame.file;
      await this.ownership.madeFrom(sequence.shots[index - 1]!.videoId, [frame.file.uri]).catch(() => undefined);
    }
    const request = shot.request as unknown as ShotRequest;
    const create = (wait: boolean) =>
      this.create.execute(
        {
          ...request,
          ...(shot.firstFrame
            ? {
                inputReference: shot.firstFrame.location,
                inputReferenceFit: request.inputReferenceFit === 'match' ? 'cover' : request.inputReferenceFit,
              }
            : {}),
          waitForCompletion: wait,
          timeoutMs: Math.max(1, deadline - this.clock.now()),
          pollIntervalMs: input.pollIntervalMs,
          downloadVariants: ['video'],
          file: wait ? `${shotStem(sequence.file, sequence.id, index)}.mp4` : undefined,
          overwrite: sequence.overwrite,
          idempotencyKey: shotKey(sequence.id, index, shot),
        },
        {
          signal: run.signal,
          caller: run.caller,
          // Kept at once: a call cancelled while the shot renders still knows its job (and does not price it again).
          onStarted: (video) => {
            shot.videoId = video.id;
            shot.status = video.status;
            shot.progress = video.progress;
          },
          onProgress: (update) => progress.report(((index + update.progress / update.total) / count) * SHOTS_SHARE, said(update.message)),
        },
      );
    let result = await create(input.waitForCompletion);
    // Not waiting: a shot found completed is saved now (its job is followed by its key, nothing is sent again).
    if (!input.waitForCompletion && result.video?.status === 'completed' && !result.failure) result = await create(true);
    if (result.video) {
      shot.videoId = result.video.id;
      shot.status = result.video.status;
      shot.progress = result.video.progress;
    }
    const saved = result.files.find((file) => file.mimeType.startsWith('video/'));
    if (saved) {
      shot.file = saved;
      shot.error = undefined;
      return 'done';
    }
    if (result.failure) {
      if (result.failure.code === 'job_timeout') return 'pending';
      shot.error = { code: result.failure.code, message: result.failure.message, details: plain(result.failure.details ?? {}) };
      shot.status = result.video?.status ?? 'failed';
      return 'failed';
    }
    return 'pending';
  }
}

/** Where a shot's files go: beside the caller's joined file, or named from the sequence's id in the default place. */
function shotStem(file: string | undefined, sequenceId: string, index: number): string {
  const base = file === undefined ? sequenceId : inFolder(file) ? `${file}${sequenceId}` : stripMediaExtension(file);
  return `${base}-shot-${index + 1}`;
}

/** A caller's `file` that names a folder (the joined file gets its default name inside it). */
function inFolder(file: string): boolean {
  return /[\\/]$/.test(file);
}

/** The idempotency key of a shot's job: the sequence, the shot and its attempt (a changed request is a new attempt). */
function shotKey(sequenceId: string, index: number, shot: SequenceShotState): string {
  return `sequence:${sequenceId}:shot:${index + 1}:attempt:${shot.attempt}`;
}

function toMake(shot: SequenceShotState): boolean {
  return shot.file === undefined && shot.videoId === undefined;
}

function same(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return jobRequestText(a) === jobRequestText(b);
}

/** An error about one shot's request names the shot, so the caller knows which to fix. */
function inShot(error: unknown, index: number): unknown {
  if (!isDomainError(error)) return error;
  const field = error.field ? `shots[${index}].${error.field}` : `shots[${index}]`;
  return withContext(error, { field, details: { shot: index + 1 } });
}

function shotFailure(sequence: SequenceState & { id: string }, index: number): DomainError {
  const shot = sequence.shots[index]!;
  return shotFailed({
    reason: 'shot_failed',
    shot: index + 1,
    sequence_id: sequence.id,
    ...(shot.videoId === undefined ? {} : { video_id: shot.videoId }),
    ...(shot.error ? { shot_error: shot.error } : {}),
  });
}

/** Facts kept with a shot's state (saved as JSON): nested errors become their code and facts. */
function plain(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, isDomainError(value) ? { code: value.code, details: value.details } : value]),
  );
}
