import { requestOf } from '../../domain/video-request';
import { z } from 'zod';
import type { ShotRequest } from '../../application/use-cases/create-sequence';
import { JOIN_SOURCES } from '../../application/use-cases/edit-videos';
import { followInputs, idempotencyKey, model, overwrite, prompt, seconds, sequenceOutput, size, toolInput } from '../schemas';
import { defineOperation, withDefault, writesFiles, type InputDefaults } from '../tools';
import type { Vocabulary } from '../error-words';
import { controlInputs, DOCUMENTED_PROVIDER, referenceInputs, toCreateOptions } from './create-inputs';
import { madeFile } from './edit-inputs';

/** One shot alone is the create's; the shots are joined into one video, so as many as one join takes. */
const MIN_SHOTS = 2;
const MAX_SHOTS = JOIN_SOURCES.most;

/** One shot: its prompt, and any create control for it alone (the shared ones apply where it sets none). */
function shotInput(words: Vocabulary) {
  const provider = words.provider ?? DOCUMENTED_PROVIDER;
  const { input_reference } = referenceInputs(provider);
  return toolInput({
    prompt: prompt.describe('What this shot shows (the style line, when given, is put before it).'),
    model: model.optional().describe("This shot's model; default: the sequence's model."),
    seconds: seconds.optional().describe("This shot's length in whole seconds; default: the sequence's seconds."),
    size: size.optional().describe("This shot's size; default: the sequence's size."),
    input_reference: input_reference.describe(
      'The first shot\'s first frame (later shots start from the previous shot\'s final frame when continuity is "last_frame").',
    ),
    ...controlInputs(provider, words),
  });
}

/** Several shots that follow on from each other: priced as a whole, continued frame to frame, joined into one MP4. */
export const sequence = defineOperation({
  title: 'Create a video sequence',
  describe: (w) =>
    `Make a short scene of ${MIN_SHOTS} to ${MAX_SHOTS} shots that follow on from each other, joined into one MP4. It costs money: every shot still to be ` +
    'made is estimated and the total checked against every spending cap before the first request (the result says the total and each ' +
    'shot\'s share). With continuity "last_frame" (default) each shot starts from the previous shot\'s final frame (read from the saved video ' +
    "by ffmpeg and fitted to the shot's size), so the model must take a first frame. Each shot is also saved on its own, beside the joined " +
    `file. With wait_for_completion=true the call makes every shot and joins them; false (default) advances the sequence as far as it can ` +
    `now and returns its state: call again with sequence_id to continue. When a shot fails the sequence stops with its state; call again ` +
    `with sequence_id (and shots, with that shot fixed) to make only the shots that are missing. Each shot is made like ${w.create}.`,
  view: true,
  input: (d: InputDefaults, w) =>
    toolInput({
      shots: z
        .array(shotInput(w))
        .min(MIN_SHOTS, `shots needs at least ${MIN_SHOTS} shots (for one, use ${w.create})`)
        .max(MAX_SHOTS, `shots holds at most ${MAX_SHOTS} shots`)
        .optional()
        .describe(
          `The shots in order (${MIN_SHOTS} to ${MAX_SHOTS}). Needed for a new sequence; with sequence_id, replaces the shots not yet made.`,
        ),
      model: withDefault(model, d.model).describe('The model of every shot that names none.'),
      seconds: withDefault(seconds, d.seconds).describe('The length of every shot that gives none.'),
      size: withDefault(size, d.size).describe('The size of every shot that gives none (or give aspect_ratio with resolution).'),
      aspect_ratio: z.string().optional().describe('W:H for every shot that gives no size, with resolution.'),
      resolution: z.string().optional().describe('The short side (720p, 1080p) for every shot that gives no size, with aspect_ratio.'),
      style: z
        .string()
        .min(1)
        .max(2000, 'style is longer than 2000 characters: shorten it')
        .optional()
        .describe("A line put before every shot's prompt (look, palette, lens), so the shots share a style."),
      continuity: z
        .enum(['last_frame', 'none'], { error: 'continuity must be "last_frame" or "none"' })
        .default('last_frame')
        .describe(
          '"last_frame" (default): each shot starts from the previous shot\'s final frame. "none": the shots are made independently.',
        ),
      file: madeFile('joined MP4', "the sequence's id in the first folder; each shot beside it as <file>-shot-N.mp4"),
      overwrite,
      wait_for_completion: followInputs.wait_for_completion.describe(
        'true: make every shot and join them in this call (progress says which shot). false (default): advance as far as possible now and return the state.',
      ),
      timeout_ms: followInputs.timeout_ms.describe(
        'With wait_for_completion: how long this call may wait in all. Default 300000 (5 minutes).',
      ),
      poll_interval_ms: followInputs.poll_interval_ms,
      sequence_id: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe('Continue this sequence (from an earlier result): no shot that exists is made again.'),
      idempotency_key: idempotencyKey.describe(
        'Any string unique to this sequence, such as a UUID. Repeating the call with the same key (after a timeout or a cancellation, ' +
          'on any replica) continues the same sequence: no shot that exists is made or paid for again.',
      ),
    }),
  outputSchema: sequenceOutput,
  hints: writesFiles,
  async run(u, args, context) {
    const shots = args.shots?.map((shot): ShotRequest => {
      const options = toCreateOptions({
        ...shot,
        prompt: args.style ? `${args.style} ${shot.prompt}` : shot.prompt,
        model: shot.model ?? args.model,
        seconds: shot.seconds ?? args.seconds,
        size: shot.size ?? (shot.aspect_ratio || args.aspect_ratio ? undefined : args.size),
        aspect_ratio: shot.aspect_ratio ?? (shot.size ? undefined : args.aspect_ratio),
        resolution: shot.resolution ?? (shot.size ? undefined : args.resolution),
        input_reference_fit: 'cover',
        input_reference_background: 'blur',
      });
      // Only what the caller set is kept (requestOf drops the rest): the sequence's state compares requests to know a shot was changed.
      return {
        ...requestOf(options),
        inputReferenceFit: options.inputReferenceFit,
        inputReferenceBackground: options.inputReferenceBackground,
      };
    });
    const result = await u.sequence!.execute(
      {
        sequenceId: args.sequence_id,
        idempotencyKey: args.idempotency_key,
        shots,
        continuity: args.continuity,
        file: args.file,
        overwrite: args.overwrite,
        waitForCompletion: args.wait_for_completion,
        timeoutMs: args.timeout_ms,
        pollIntervalMs: args.poll_interval_ms,
      },
      context,
    );
    return u.presenter.sequence(result);
  },
});
