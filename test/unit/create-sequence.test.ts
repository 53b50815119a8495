import { refusalOf } from '../support/refusals';
import { CreateSequence, type SequenceInput, type ShotRequest } from '../../src/application/use-cases/create-sequence';
import { CreateVideo, type CreateVideoInput } from '../../src/application/use-cases/create-video';
import { EditVideos } from '../../src/application/use-cases/edit-videos';
import { CompletionWaiter } from '../../src/application/completion-waiter';
import { JobFollower } from '../../src/application/job-follower';
import { JobOwnership } from '../../src/application/job-ownership';
import { ModelDirectory } from '../../src/application/model-directory';
import { OutputNames } from '../../src/application/output-names';
import type { ProgressUpdate, RunOptions } from '../../src/application/progress';
import type { ReferenceImagePreparer, ReferenceRequest } from '../../src/application/reference-image-preparer';
import { RequestPlanner } from '../../src/application/request-planner';
import { SpendingLedger, type SpendingCaps } from '../../src/application/spending-ledger';
import { VariantDownloader } from '../../src/application/variant-downloader';
import { ModelCatalog } from '../../src/domain/model-catalog';
import type { ModelEntry } from '../../src/domain/model-entry';
import type {
  ClipFacts,
  ClipSource,
  CreateVideoParams,
  ExtractedFrame,
  FrameAt,
  JoinedClip,
  MediaContent,
  VideoEditor,
} from '../../src/domain/ports';
import { FakeClock, InMemoryJobRegistry, InMemoryMediaStore, InMemoryVideoProvider, silentLogger } from '../../src/testing';
import { mp4 } from '../support/sample-files';

/*
 * The sequence use case in process, over the in-memory provider, registry and store, a fake clock and a fake editor: what a
 * caller of create_sequence sees (its shots, their frames, the joined file, the price, the failure) for each path through it.
 */

const LIMITS = { maxBytes: 64 * 1024 * 1024, deadlineMs: 600_000 };
const source = 'https://example.test/prices';
const read = '2026-01-01';
/** Prices of $0.10 a second (sora-2) and $0.30 (sora-2-pro); one model takes no first frame, one has no price. */
const MODELS: ModelEntry[] = [
  {
    id: 'sora-2',
    seconds: ['4', '8', '12'],
    default_seconds: '4',
    input_reference: 'optional',
    prices: [{ usd_per_second: 0.1, source, read }],
    source,
  },
  { id: 'text-only', input_reference: 'unsupported', prices: [{ usd_per_second: 0.1, source, read }], source },
  { id: 'sora-2-pro', input_reference: 'optional', default_seconds: '4', prices: [{ usd_per_second: 0.3, source, read }], source },
  { id: 'needs-frame', input_reference: 'required', prices: [{ usd_per_second: 0.1, source, read }], source },
  { id: 'also-text-only', input_reference: 'unsupported', source },
  { id: 'unpriced', input_reference: 'optional', default_seconds: '4', source },
  { id: 'frame-taker-a', input_reference: 'optional', source },
  { id: 'frame-taker-b', input_reference: 'required', source },
];

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const content = (contentType: string, bytes: Uint8Array): MediaContent => ({
  contentType,
  body: (async function* () {
    yield bytes;
  })(),
});
const facts = (durationSeconds: number): ClipFacts => ({ durationSeconds, width: 1280, height: 720, codec: 'h264', frameRate: 24 });

/** A decoder that reads nothing: a frame is a PNG that names its clip, a join an MP4; each clip lasts 4 s, the whole their sum. */
class FakeEditor implements VideoEditor {
  readonly frames: { source: ClipSource; at: FrameAt }[] = [];
  readonly joins: ClipSource[][] = [];
  readonly probes: ClipSource[] = [];
  joinFailure: Error | undefined;

  async probe(clip: ClipSource): Promise<ClipFacts> {
    this.probes.push(clip);
    return facts(4 * (this.joins.at(-1)?.length ?? 1));
  }
  async frame(clip: ClipSource, at: FrameAt): Promise<ExtractedFrame> {
    this.frames.push({ source: clip, at });
    return { content: content('image/png', Buffer.from(`frame ${String(at)} of ${clip.path}`)), source: facts(4) };
  }
  async join(sources: readonly ClipSource[]): Promise<JoinedClip> {
    if (this.joinFailure) throw this.joinFailure;
    this.joins.push([...sources]);
    return { content: content('video/mp4', mp4()), reencoded: false, sources: sources.map((_, index) => facts(4 + index)) };
  }
  async describe(): Promise<string> {
    return 'fake editor';
  }
}

interface Harness {
  sequence: CreateSequence;
  provider: InMemoryVideoProvider;
  registry: InMemoryJobRegistry;
  store: InMemoryMediaStore;
  editor: FakeEditor;
  clock: FakeClock;
  /** Every image the create fitted, as it was asked for. */
  prepared: ReferenceRequest[];
  /** Every create the sequence made, as it was asked for, and the fake time it was asked at. */
  creates: { input: CreateVideoInput; run: RunOptions; at: number }[];
}

function harness(options: { caps?: SpendingCaps; retrievesToComplete?: number; recordsJobs?: boolean } = {}): Harness {
  const provider = new InMemoryVideoProvider({ retrievesToComplete: options.retrievesToComplete ?? 2 });
  const registry = new InMemoryJobRegistry();
  const store = new InMemoryMediaStore();
  const clock = new FakeClock();
  const editor = new FakeEditor();
  const names = new OutputNames(store, []);
  const downloader = new VariantDownloader(provider, store, clock, silentLogger, LIMITS);
  const follower = new JobFollower(new CompletionWaiter(provider, clock, silentLogger), downloader, names);
  const directory = new ModelDirectory(provider, new ModelCatalog([{ origin: 'user', entries: MODELS }]), clock);
  const planner = new RequestPlanner(provider, directory);
  const ledger = new SpendingLedger(options.caps ?? {}, registry, clock);
  const ownership = new JobOwnership(registry, { enforced: false, recordsJobs: options.recordsJobs ?? false });
  const prepared: ReferenceRequest[] = [];
  // The image the create uploads is the stored file's own bytes (fitting is another test's business).
  const references = {
    prepare: async (request: ReferenceRequest) => {
      prepared.push(request);
      const item = store.items.get(request.input.replace(/^memory:\//, ''));
      if (!item) throw new Error(`no stored image at ${request.input}`);
      return { bytes: item.bytes, mimeType: 'image/png' as const, filename: 'reference.png' };
    },
  } as unknown as ReferenceImagePreparer;
  const create = new CreateVideo(provider, references, follower, planner, ledger, ownership);
  const creates: Harness['creates'] = [];
  const execute = create.execute.bind(create);
  jest.spyOn(create, 'execute').mockImplementation((input, run) => {
    creates.push({ input, run: run ?? {}, at: clock.now() });
    return execute(input, run);
  });
  const edits = new EditVideos(editor, names, store);
  const sequence = new CreateSequence(create, planner, ledger, registry, edits, clock, directory, ownership);
  return { sequence, provider, registry, store, editor, clock, prepared, creates };
}

const shot = (prompt: string, more: Partial<ShotRequest> = {}): ShotRequest => ({
  prompt,
  inputReferenceFit: 'match',
  inputReferenceBackground: 'blur',
  ...more,
});
const THREE = [
  shot('A red kite rises', { seconds: '4' }),
  shot('The kite loops', { seconds: '8' }),
  shot('The kite lands', { seconds: '12' }),
];
const waiting = (more: Partial<SequenceInput>): SequenceInput => ({
  continuity: 'last_frame',
  waitForCompletion: true,
  timeoutMs: 600_000,
  pollIntervalMs: 1000,
  ...more,
});
/** What the provider was asked to make, in order. */
const sent = (provider: InMemoryVideoProvider) =>
  provider.calls.filter((call) => call.method === 'create').map((call) => call.args[0] as CreateVideoParams);

describe('CreateSequence: a new sequence', () => {
  it('makes each later shot from the last frame of the one before, and joins the shots into the default file', async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ shots: THREE }));

    expect(result.failure).toBeUndefined();
    expect(result.sequence.id).toBe('seq_1');
    expect(result.sequence.status).toBe('completed');
    expect(result.sequence.shots.map((made) => made.file?.name)).toEqual(['seq_1-shot-1.mp4', 'seq_1-shot-2.mp4', 'seq_1-shot-3.mp4']);
    expect(result.sequence.shots.map((made) => made.status)).toEqual(['completed', 'completed', 'completed']);
    // The frame is taken from the last of the shot before, and named beside the shots.
    expect(h.editor.frames).toEqual([
      { source: { path: 'memory:/seq_1-shot-1.mp4', field: 'source' }, at: 'last' },
      { source: { path: 'memory:/seq_1-shot-2.mp4', field: 'source' }, at: 'last' },
    ]);
    expect(result.sequence.shots.map((made) => made.firstFrame?.name)).toEqual([
      undefined,
      'seq_1-shot-2-first-frame.png',
      'seq_1-shot-3-first-frame.png',
    ]);
    // What the provider received as input_reference is that frame, and nothing for the first shot.
    const creates = sent(h.provider);
    expect(creates).toHaveLength(3);
    expect(creates[0]!.inputReference).toBeUndefined();
    expect(text(creates[1]!.inputReference!.bytes)).toBe('frame last of memory:/seq_1-shot-1.mp4');
    expect(text(creates[2]!.inputReference!.bytes)).toBe('frame last of memory:/seq_1-shot-2.mp4');
    expect(creates.map((params) => params.prompt)).toEqual(['A red kite rises', 'The kite loops', 'The kite lands']);
    // A frame fitted "as it matches" is fitted by cover: the last frame of a clip need not be the next one's size.
    expect(h.prepared.map((request) => [request.input, request.field, request.fit])).toEqual([
      ['memory:/seq_1-shot-2-first-frame.png', 'input_reference', 'cover'],
      ['memory:/seq_1-shot-3-first-frame.png', 'input_reference', 'cover'],
    ]);

    // Joined in order into the file named from the sequence's id; each shot's length is the joiner's.
    expect(h.editor.joins).toEqual([
      [
        { path: 'memory:/seq_1-shot-1.mp4', field: 'sources[0]' },
        { path: 'memory:/seq_1-shot-2.mp4', field: 'sources[1]' },
        { path: 'memory:/seq_1-shot-3.mp4', field: 'sources[2]' },
      ],
    ]);
    expect(result.sequence.joined).toMatchObject({
      name: 'seq_1.mp4',
      location: 'memory:/seq_1.mp4',
      mimeType: 'video/mp4',
      durationSeconds: 12,
      reencoded: false,
    });
    expect(h.store.items.has('seq_1.mp4')).toBe(true);
    expect(result.sequence.shots.map((made) => made.durationSeconds)).toEqual([4, 5, 6]);
    // The state is kept where jobs are, as the call returned it.
    expect(await h.registry.findSequence('seq_1')).toMatchObject({ status: 'completed', joined: { name: 'seq_1.mp4' } });
  });

  it('hands each shot to create with its own key, file, fit and what is left of the one deadline', async () => {
    const h = harness();
    const start = h.clock.now();
    const shots = [shot('one'), shot('two', { inputReferenceFit: 'contain' })];
    await h.sequence.execute(waiting({ shots, timeoutMs: 300_000, pollIntervalMs: 1500, overwrite: true }));

    expect(h.creates).toHaveLength(2);
    const [first, second] = h.creates.map((call) => call.input);
    expect(first).toMatchObject({
      prompt: 'one',
      waitForCompletion: true,
      timeoutMs: 300_000,
      pollIntervalMs: 1500,
      downloadVariants: ['video'],
      file: 'seq_1-shot-1.mp4',
      overwrite: true,
      idempotencyKey: 'sequence:seq_1:shot:1:attempt:1',
      inputReferenceFit: 'match',
    });
    expect(first!.inputReference).toBeUndefined();
    expect(second).toMatchObject({
      prompt: 'two',
      file: 'seq_1-shot-2.mp4',
      idempotencyKey: 'sequence:seq_1:shot:2:attempt:1',
      inputReference: 'memory:/seq_1-shot-2-first-frame.png',
      // Any fit but "match" is the caller's.
      inputReferenceFit: 'contain',
    });
    // Time spent on the first shot is the second's less.
    const elapsed = h.creates[1]!.at - start;
    expect(elapsed).toBeGreaterThan(0);
    expect(second!.timeoutMs).toBe(300_000 - elapsed);
    // The shots' jobs are found again by those keys.
    const job = await h.registry.findByKey('default', 'sequence:seq_1:shot:2:attempt:1');
    expect(job?.videoId).toBe('video_mem000002');
  });

  it('with continuity "none", makes every shot from its own request, no frame taken', async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 2) }));

    expect(result.sequence.status).toBe('completed');
    expect(h.editor.frames).toEqual([]);
    expect(h.prepared).toEqual([]);
    expect(sent(h.provider).map((params) => params.inputReference)).toEqual([undefined, undefined]);
    expect(result.sequence.shots.map((made) => made.firstFrame)).toEqual([undefined, undefined]);
    expect(result.sequence.continuity).toBe('none');
    expect(result.sequence.joined?.name).toBe('seq_1.mp4');
  });

  it("writes the joined file and the shots' files under the caller's name", async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ shots: THREE.slice(0, 2), file: 'kite.mp4' }));

    expect(result.sequence.shots.map((made) => made.file?.name)).toEqual(['kite-shot-1.mp4', 'kite-shot-2.mp4']);
    expect(result.sequence.shots[1]!.firstFrame?.name).toBe('kite-shot-2-first-frame.png');
    expect(result.sequence.joined?.name).toBe('kite.mp4');
    expect([...h.store.items.keys()].sort()).toEqual(['kite-shot-1.mp4', 'kite-shot-2-first-frame.png', 'kite-shot-2.mp4', 'kite.mp4']);
  });

  it('refuses a taken name for the joined file before any shot is paid for, and replaces it only with overwrite', async () => {
    const taken = harness();
    await taken.store.write(['kite.mp4'], content('video/mp4', mp4()));
    await expect(taken.sequence.execute(waiting({ continuity: 'none', shots: [shot('one')], file: 'kite.mp4' }))).rejects.toMatchObject({
      code: 'file_exists',
      details: { path: 'kite.mp4' },
    });
    expect(taken.creates).toEqual([]);
    expect([...taken.store.items.keys()]).toEqual(['kite.mp4']);

    const replaced = harness();
    await replaced.store.write(['kite.mp4'], content('video/mp4', Buffer.from('old')));
    const result = await replaced.sequence.execute(
      waiting({ continuity: 'none', shots: [shot('one')], file: 'kite.mp4', overwrite: true }),
    );
    expect(result.failure).toBeUndefined();
    expect(result.sequence.joined?.name).toBe('kite.mp4');
    expect(replaced.store.items.get('kite.mp4')!.bytes.length).toBe(mp4().length);
  });

  it("refuses a taken name of a later shot's file before the first shot is paid for", async () => {
    const h = harness();
    await h.store.write(['kite-shot-2.mp4'], content('video/mp4', Buffer.from('mine')));
    expect(await refusalOf(h.sequence.execute(waiting({ shots: THREE.slice(0, 2), file: 'kite.mp4' })))).toEqual({
      code: 'file_exists',
      field: 'file',
      details: { path: 'kite-shot-2.mp4' },
    });
    expect(h.provider.calls).toEqual([]);
    expect(text(h.store.items.get('kite-shot-2.mp4')!.bytes)).toBe('mine');
  });

  it('given a folder, puts the shots and the joined file inside it, named from the sequence', async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 2), file: 'out/' }));

    expect(result.failure).toBeUndefined();
    expect(result.sequence.shots.map((made) => made.file?.name)).toEqual(['seq_1-shot-1.mp4', 'seq_1-shot-2.mp4']);
    expect([...h.store.items.keys()].sort()).toEqual(['out/seq_1-shot-1.mp4', 'out/seq_1-shot-2.mp4', 'out/seq_1.mp4']);
  });

  it('moves the default joined name on to -2 when it is taken, as every default name does', async () => {
    const h = harness();
    await h.store.write(['seq_1.mp4'], content('video/mp4', Buffer.from('kept')));
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 2) }));

    expect(result.failure).toBeUndefined();
    expect(result.sequence.joined?.name).toBe('seq_1-2.mp4');
    expect(text(h.store.items.get('seq_1.mp4')!.bytes)).toBe('kept');
  });

  it('refuses more shots than one join takes before anything is priced or sent', async () => {
    const h = harness();
    const shots = Array.from({ length: 13 }, (_, index) => shot(`shot ${index + 1}`));
    await expect(h.sequence.execute(waiting({ continuity: 'none', shots }))).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'shots',
      details: { rule: 'join_sources', given: 13, least: 1, most: 12 },
    });
    expect(h.provider.calls).toEqual([]);
    expect(await h.registry.findSequence('seq_1')).toBeUndefined();
  });

  it('continued with a new name (or overwrite) for the joined file, joins under that name', async () => {
    const h = harness();
    const started = await h.sequence.execute({ ...waiting({ shots: THREE.slice(0, 2) }), waitForCompletion: false, file: 'first.mp4' });
    expect(started.sequence.status).toBe('running');
    await h.store.write(['second.mp4'], content('video/mp4', Buffer.from('old')));

    const done = await h.sequence.execute(waiting({ sequenceId: started.sequence.id, file: 'second.mp4', overwrite: true }));
    expect(done.failure).toBeUndefined();
    expect(done.sequence.joined?.name).toBe('second.mp4');
    expect(h.store.items.get('second.mp4')!.bytes.length).toBe(mp4().length);
    expect(h.store.items.has('first.mp4')).toBe(false);
  });

  it('refuses a shot added to a sequence already joined, sending nothing', async () => {
    const h = harness();
    const done = await h.sequence.execute(waiting({ continuity: 'none', shots: [shot('one')] }));
    expect(done.sequence.status).toBe('completed');
    const made = h.creates.length;
    await expect(
      h.sequence.execute(waiting({ continuity: 'none', sequenceId: done.sequence.id, shots: [shot('one'), shot('two')] })),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'shots',
      details: { rule: 'sequence_completed', sequence_id: done.sequence.id },
    });
    expect(h.creates).toHaveLength(made);
    // Continued as it is, it stays complete.
    expect((await h.sequence.execute(waiting({ continuity: 'none', sequenceId: done.sequence.id }))).sequence.status).toBe('completed');
  });

  it('records the frame and the joined file as files of the jobs they were made from', async () => {
    const h = harness({ recordsJobs: true });
    const result = await h.sequence.execute(waiting({ shots: THREE.slice(0, 2) }));
    const [first, second] = result.sequence.shots;

    expect((await h.registry.find(first!.videoId!))?.files).toEqual([first!.file!.uri, second!.firstFrame!.uri]);
    expect((await h.registry.find(second!.videoId!))?.files).toEqual([second!.file!.uri, result.sequence.joined!.uri]);
  });

  it('refuses a call with neither shots nor a sequence to continue', async () => {
    const h = harness();
    await expect(h.sequence.execute(waiting({}))).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'shots',
      details: { rule: 'sequence_needs_shots' },
    });
    expect(h.provider.calls).toEqual([]);
  });
});

describe('CreateSequence: priced as a whole before anything is sent', () => {
  it('sums the estimates of the shots to make, and says it first', async () => {
    const h = harness();
    const updates: ProgressUpdate[] = [];
    const result = await h.sequence.execute(waiting({ shots: THREE }), { onProgress: (update) => updates.push(update) });

    expect(result.estimate).toEqual({ usd: 2.4, model: 'sora-2' });
    expect(result.sequence.shots.map((made) => made.estimateUsd)).toEqual([0.4, 0.8, 1.2]);
    expect(updates[0]).toEqual({ progress: 0, total: 100, message: 'sequence seq_1: 3 of 3 shots to make, estimated $2.40' });
  });

  it("names the first shot's model, and rounds the sum to the cent", async () => {
    const h = harness();
    const shots = [shot('one', { model: 'sora-2-pro', seconds: '4' }), shot('two', { seconds: '8' }), shot('three', { seconds: '4' })];
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots }));
    // 1.2 + 0.8 + 0.4 in floating point is 2.4000000000000004.
    expect(result.estimate).toEqual({ usd: 2.4, model: 'sora-2-pro' });
  });

  it('refuses a total over the cap on one call though each shot is under it, and sends nothing', async () => {
    const h = harness({ caps: { maxCostUsd: 1 } });
    const updates: ProgressUpdate[] = [];
    const run = h.sequence.execute(waiting({ shots: THREE.slice(0, 2), idempotencyKey: 'kite' }), {
      onProgress: (update) => updates.push(update),
    });

    await expect(run).rejects.toMatchObject({
      code: 'over_budget',
      details: { rule: 'max_cost', estimate_usd: 1.2, max_cost_usd: 1, shots: 2, model: 'sora-2' },
    });
    expect(h.provider.calls).toEqual([]);
    expect(h.editor.frames).toEqual([]);
    expect(updates).toEqual([]);
    expect(await h.registry.findSequenceByKey('default', 'kite')).toBeUndefined();
  });

  it("refuses a total over what is left of the user's budget", async () => {
    const h = harness({ caps: { budgetUsd: 1 } });
    await expect(h.sequence.execute(waiting({ shots: THREE.slice(0, 2) }))).rejects.toMatchObject({
      code: 'over_budget',
      details: { rule: 'budget', estimate_usd: 1.2, left_usd: 1, shots: 2 },
    });
    expect(h.provider.calls).toEqual([]);
  });

  it('goes on without a price when no cap is set, saying none is known', async () => {
    const h = harness();
    const updates: ProgressUpdate[] = [];
    const shots = [shot('one'), shot('two', { model: 'unpriced' })];
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots }), { onProgress: (update) => updates.push(update) });

    expect(result.estimate).toEqual({ usd: null, model: 'sora-2' });
    expect(result.sequence.shots.map((made) => made.estimateUsd)).toEqual([0.4, null]);
    expect(updates[0]!.message).toBe('sequence seq_1: 2 of 2 shots to make, no price known');
    expect(result.sequence.status).toBe('completed');
  });

  it('refuses an unpriced shot under a cap', async () => {
    const h = harness({ caps: { maxCostUsd: 10 } });
    const shots = [shot('one', { model: 'unpriced' }), shot('two')];
    await expect(h.sequence.execute(waiting({ shots }))).rejects.toMatchObject({
      code: 'over_budget',
      details: { rule: 'no_price', estimate_usd: null, shots: 2, model: 'unpriced' },
    });
    expect(h.provider.calls).toEqual([]);
  });

  it("names the shot and its field when a shot's request is refused", async () => {
    const h = harness();
    const shots = [shot('one'), shot('two', { seconds: '5' })];
    await expect(h.sequence.execute(waiting({ continuity: 'none', shots }))).rejects.toMatchObject({
      code: 'model_constraint',
      field: 'shots[1].seconds',
      details: { shot: 2, model: 'sora-2', value: '5', allowed: ['4', '8', '12'] },
    });
    await expect(h.sequence.execute(waiting({ continuity: 'none', shots }))).rejects.not.toHaveProperty('details.models_that_can');
    expect(h.provider.calls).toEqual([]);
  });

  it('refuses a model that takes no first frame for a later shot of a last_frame sequence, naming models that can', async () => {
    const h = harness();
    const shots = [shot('one', { model: 'text-only' }), shot('two', { model: 'text-only' })];
    const refusal = h.sequence.execute(waiting({ shots }));
    await expect(refusal).rejects.toMatchObject({
      code: 'model_constraint',
      field: 'shots[1].input_reference',
      details: {
        shot: 2,
        model: 'text-only',
        requirement: 'unsupported',
        // The first five in the catalog's order that take a first frame (optional or required).
        models_that_can: ['sora-2', 'sora-2-pro', 'needs-frame', 'unpriced', 'frame-taker-a'],
      },
    });
    expect(h.provider.calls).toEqual([]);

    // The first shot has no frame to start from, and without continuity no shot has: the same model is then fine.
    const none = await harness().sequence.execute(waiting({ continuity: 'none', shots }));
    expect(none.failure).toBeUndefined();
    expect(none.sequence.status).toBe('completed');
  });

  it('names no other models when the refusal is not about a first frame', async () => {
    const h = harness();
    const refusal = h.sequence.execute(waiting({ shots: [shot('one', { model: 'needs-frame' })] }));
    await expect(refusal).rejects.toMatchObject({ field: 'shots[0].input_reference', details: { requirement: 'required', shot: 1 } });
    await expect(refusal).rejects.not.toHaveProperty('details.models_that_can');
  });
});

describe('CreateSequence: a failed shot, and continuing a sequence', () => {
  const failing = [THREE[0]!, THREE[1]!, shot('The kite [fail] lands', { seconds: '12' })];

  it('stops at a failed shot with a job_failed naming it, and keeps the sequence to continue', async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ shots: failing }));

    expect(result.sequence.status).toBe('failed');
    expect(result.sequence.shots.map((made) => made.status)).toEqual(['completed', 'completed', 'failed']);
    expect(result.failure).toMatchObject({
      code: 'job_failed',
      message: 'shot 3 failed',
      field: 'shots[2]',
      details: {
        reason: 'shot_failed',
        shot: 3,
        sequence_id: 'seq_1',
        video_id: 'video_mem000003',
        shot_error: {
          code: 'job_failed',
          message: 'job video_mem000003: failed',
          details: { reason: 'failed', job_code: 'moderation_blocked', video_id: 'video_mem000003', status: 'failed' },
        },
      },
    });
    expect(result.sequence.shots[2]!.error).toEqual(result.failure!.details!.shot_error);
    expect(result.sequence.joined).toBeUndefined();
    expect(h.editor.joins).toEqual([]);
    expect(await h.registry.findSequence('seq_1')).toMatchObject({
      status: 'failed',
      shots: [{ videoId: 'video_mem000001' }, { videoId: 'video_mem000002' }, { videoId: 'video_mem000003' }],
    });
  });

  it('continued as it is, follows the failed job again and makes nothing', async () => {
    const h = harness();
    await h.sequence.execute(waiting({ shots: failing }));
    const again = await h.sequence.execute(waiting({ sequenceId: 'seq_1' }));

    expect(again.estimate).toEqual({ usd: 0, model: '' });
    expect(again.failure).toMatchObject({ code: 'job_failed', details: { shot: 3, video_id: 'video_mem000003' } });
    expect(h.provider.count('create')).toBe(3);
    // Only the shot without a file was taken further.
    expect(h.creates.slice(3).map((call) => call.input.idempotencyKey)).toEqual(['sequence:seq_1:shot:3:attempt:1']);
  });

  it('continued with the failed shot changed, makes it anew from the frame it had, and keeps and does not pay for the others', async () => {
    const h = harness();
    const first = await h.sequence.execute(waiting({ shots: failing }));
    const madeIds = first.sequence.shots.slice(0, 2).map((made) => made.videoId);
    const updates: ProgressUpdate[] = [];
    const fixed = await h.sequence.execute(waiting({ sequenceId: 'seq_1', shots: THREE }), {
      onProgress: (update) => updates.push(update),
    });

    expect(fixed.failure).toBeUndefined();
    expect(fixed.sequence.status).toBe('completed');
    expect(fixed.estimate).toEqual({ usd: 1.2, model: 'sora-2' });
    expect(updates[0]!.message).toBe('sequence seq_1: 1 of 3 shots to make, estimated $1.20');
    expect(fixed.sequence.shots.slice(0, 2).map((made) => made.videoId)).toEqual(madeIds);
    expect(fixed.sequence.shots[2]).toMatchObject({ attempt: 2, videoId: 'video_mem000004', status: 'completed', error: undefined });
    expect(h.provider.count('create')).toBe(4);
    expect(sent(h.provider)[3]!.prompt).toBe('The kite lands');
    // Its first frame stays: no frame is taken again, and the new job starts from it.
    expect(h.editor.frames).toHaveLength(2);
    expect(text(sent(h.provider)[3]!.inputReference!.bytes)).toBe('frame last of memory:/seq_1-shot-2.mp4');
    expect(h.creates.at(-1)!.input.idempotencyKey).toBe('sequence:seq_1:shot:3:attempt:2');
    expect(fixed.sequence.joined?.name).toBe('seq_1.mp4');
  });

  it('keeps an unchanged shot (its fields in another order) on its first attempt', async () => {
    const h = harness({ retrievesToComplete: 1000 });
    await h.sequence.execute(waiting({ continuity: 'none', shots: [shot('one', { seconds: '4' })], timeoutMs: 5000 }));
    const reordered = { seconds: '4', inputReferenceBackground: 'blur', inputReferenceFit: 'match', prompt: 'one' } as ShotRequest;
    const again = await h.sequence.execute(waiting({ sequenceId: 'seq_1', shots: [reordered], timeoutMs: 5000 }));

    expect(again.sequence.shots[0]!.attempt).toBe(1);
    expect(h.provider.count('create')).toBe(1);
  });

  it('refuses fewer shots than were made', async () => {
    const h = harness();
    await h.sequence.execute(waiting({ shots: failing }));
    await expect(h.sequence.execute(waiting({ sequenceId: 'seq_1', shots: [THREE[0]!] }))).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'shots',
      details: { rule: 'fewer_than_made', made: 2 },
    });
  });

  it("finds no sequence of another user's, exactly as an unknown one", async () => {
    const h = harness();
    await h.sequence.execute(waiting({ shots: failing }));
    const notFound = { code: 'not_found', field: 'sequence_id', details: { reason: 'unknown_sequence', sequence_id: 'seq_1' } };
    await expect(h.sequence.execute(waiting({ sequenceId: 'seq_1' }), { caller: 'mallory' })).rejects.toMatchObject(notFound);
    await expect(h.sequence.execute(waiting({ sequenceId: 'seq_404' }))).rejects.toMatchObject({
      ...notFound,
      details: { reason: 'unknown_sequence', sequence_id: 'seq_404' },
    });
    expect(h.provider.count('create')).toBe(3);
  });

  it('reports an unforeseen failure of the join as internal_error, keeping the shots made', async () => {
    const h = harness();
    h.editor.joinFailure = new Error('disk on fire');
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 2) }));

    expect(result.failure).toMatchObject({ code: 'internal_error', message: 'unexpected: disk on fire' });
    expect(result.sequence.status).toBe('running');
    expect((await h.registry.findSequence('seq_1'))!.shots.map((made) => made.file?.name)).toEqual([
      'seq_1-shot-1.mp4',
      'seq_1-shot-2.mp4',
    ]);
  });
});

describe('CreateSequence: idempotency keys', () => {
  it("continues the caller's sequence named by the key, making nothing twice", async () => {
    const h = harness();
    const first = await h.sequence.execute(waiting({ shots: THREE.slice(0, 2), idempotencyKey: 'kite' }));
    const again = await h.sequence.execute(waiting({ shots: THREE.slice(0, 2), idempotencyKey: 'kite' }));

    expect(again.sequence.id).toBe(first.sequence.id);
    expect(again.sequence.status).toBe('completed');
    expect(again.estimate).toEqual({ usd: 0, model: '' });
    expect(h.provider.count('create')).toBe(2);
    expect(h.editor.joins).toHaveLength(1);
    expect((await h.registry.findSequenceByKey('default', 'kite'))?.id).toBe('seq_1');

    // Another user's key of the same name is another sequence.
    const theirs = await h.sequence.execute(waiting({ shots: THREE.slice(0, 1), idempotencyKey: 'kite' }), { caller: 'bob' });
    expect(theirs.sequence.id).not.toBe('seq_1');
    expect(theirs.sequence.owner).toBe('bob');
    expect(h.provider.count('create')).toBe(3);
  });
});

describe('CreateSequence: without waiting, progress and cancellation', () => {
  it('without waiting and with continuity, starts the first shot and returns with the rest pending', async () => {
    const h = harness({ retrievesToComplete: 1 });
    const first = await h.sequence.execute(waiting({ shots: THREE.slice(0, 2), waitForCompletion: false }));

    expect(first.failure).toBeUndefined();
    expect(first.sequence.status).toBe('running');
    expect(first.sequence.shots.map((made) => [made.videoId, made.status])).toEqual([
      ['video_mem000001', 'queued'],
      [undefined, undefined],
    ]);
    expect(h.creates[0]!.input).toMatchObject({ waitForCompletion: false, file: undefined });
    expect(h.provider.count('retrieve')).toBe(0);

    // The next call finds the first shot completed, saves it (sending nothing again) and starts the second from its frame.
    const second = await h.sequence.execute(waiting({ sequenceId: 'seq_1', waitForCompletion: false }));
    expect(second.estimate).toEqual({ usd: 0.8, model: 'sora-2' });
    expect(second.sequence.shots[0]!.file?.name).toBe('seq_1-shot-1.mp4');
    expect(second.sequence.shots[1]).toMatchObject({ videoId: 'video_mem000002', status: 'queued' });
    expect(second.sequence.shots[1]!.firstFrame?.name).toBe('seq_1-shot-2-first-frame.png');
    expect(h.provider.count('create')).toBe(2);

    const third = await h.sequence.execute(waiting({ sequenceId: 'seq_1', waitForCompletion: false }));
    expect(third.sequence.status).toBe('completed');
    expect(third.sequence.joined?.name).toBe('seq_1.mp4');
    expect(h.provider.count('create')).toBe(2);
  });

  it('without waiting and without continuity, starts every shot at once', async () => {
    const h = harness();
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE, waitForCompletion: false }));

    expect(result.sequence.shots.map((made) => made.status)).toEqual(['queued', 'queued', 'queued']);
    expect(result.sequence.status).toBe('running');
    expect(h.provider.count('create')).toBe(3);
    expect(h.editor.joins).toEqual([]);
  });

  it('waiting, stops at a shot still rendering at the deadline, with no failure and the next shot not started', async () => {
    const h = harness({ retrievesToComplete: 1000 });
    const result = await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 2), timeoutMs: 10_000 }));

    expect(result.failure).toBeUndefined();
    expect(result.sequence.status).toBe('running');
    expect(result.sequence.shots[0]).toMatchObject({ videoId: 'video_mem000001', status: 'in_progress' });
    expect(result.sequence.shots[0]!.error).toBeUndefined();
    expect(result.sequence.shots[1]!.videoId).toBeUndefined();
    expect(h.provider.count('create')).toBe(1);
  });

  it('reports progress that only goes up: the price, each shot, the frame, the join', async () => {
    const h = harness();
    const updates: ProgressUpdate[] = [];
    await h.sequence.execute(waiting({ shots: THREE.slice(0, 2) }), { onProgress: (update) => updates.push(update) });

    for (let i = 1; i < updates.length; i += 1) expect(updates[i]!.progress).toBeGreaterThan(updates[i - 1]!.progress);
    expect(updates.every((update) => update.total === 100)).toBe(true);
    const messages = updates.map((update) => update.message);
    expect(messages[0]).toBe('sequence seq_1: 2 of 2 shots to make, estimated $1.20');
    expect(updates.find((update) => update.message === 'shot 2 of 2: taking the last frame of the shot before')?.progress).toBeCloseTo(
      47.5,
      1,
    );
    expect(messages.find((message) => message.startsWith('shot 1 of 2: started'))).toMatch(/estimated cost \$0\.40/);
    expect(messages.some((message) => message.startsWith('shot 2 of 2: '))).toBe(true);
    // The shots' share of the bar ends at 95: the join takes the rest.
    const shots = updates.filter((update) => update.message.startsWith('shot '));
    expect(Math.max(...shots.map((update) => update.progress))).toBe(95);
    expect(updates.find((update) => update.message === 'joining 2 shots')?.progress).toBeCloseTo(95, 1);
    expect(updates.at(-1)).toEqual({ progress: 100, total: 100, message: 'joined 2 shots into seq_1.mp4' });
  });

  it('passes a cancellation through, sending nothing once the signal is aborted', async () => {
    const h = harness();
    const controller = new AbortController();
    controller.abort();
    await expect(h.sequence.execute(waiting({ shots: THREE.slice(0, 2) }), { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(h.provider.count('create')).toBe(0);
    // The sequence was kept, so its id (said first) can continue it.
    expect(await h.registry.findSequence('seq_1')).toMatchObject({ status: 'running' });
  });

  it('cancelled while a shot renders, keeps its job; the next call follows it and pays for nothing again', async () => {
    const h = harness();
    const controller = new AbortController();
    const onProgress = (update: ProgressUpdate) => {
      if (update.message.startsWith('shot 2 of 2: started')) controller.abort();
    };
    await expect(
      h.sequence.execute(waiting({ shots: THREE.slice(0, 2) }), { signal: controller.signal, onProgress }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const kept = (await h.registry.findSequence('seq_1'))!;
    expect(kept.shots.map((made) => made.videoId)).toEqual(['video_mem000001', 'video_mem000002']);
    expect(kept.shots[1]!.file).toBeUndefined();

    const resumed = await h.sequence.execute(waiting({ sequenceId: 'seq_1' }));
    expect(resumed.estimate.usd).toBe(0);
    expect(resumed.sequence.status).toBe('completed');
    expect(h.provider.count('create')).toBe(2);
  });

  it("finds by its key a shot's job the kept state does not name, and does not price or make it again", async () => {
    const h = harness({ retrievesToComplete: 1000 });
    await h.sequence.execute(waiting({ continuity: 'none', shots: THREE.slice(0, 1), timeoutMs: 5000 }));
    // A state saved before the job's id was known (a replica stopped as the shot was sent).
    const kept = (await h.registry.findSequence('seq_1'))!;
    kept.shots[0] = { ...kept.shots[0]!, videoId: undefined, status: undefined };
    await h.registry.saveSequence(kept);

    const again = await h.sequence.execute(waiting({ sequenceId: 'seq_1', timeoutMs: 5000 }));
    expect(again.estimate).toEqual({ usd: 0, model: '' });
    expect(again.sequence.shots[0]!.videoId).toBe('video_mem000001');
    expect(h.provider.count('create')).toBe(1);
  });
});
