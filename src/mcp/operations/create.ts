import { followInputs, idempotencyKey, model, prompt, seconds, size, toFollowOptions, toolInput, videoOutput } from '../schemas';
import { controlInputs, referenceInputs, toCreateOptions } from './create-inputs';
import { defineOperation, type InputDefaults, presentJob, withDefault, writesFiles } from '../tools';

/** Starts a paid job; it may wait for it and save its files. */
export const create = defineOperation({
  title: 'Create video',
  describe: (w) =>
    'Start a video generation job. It costs money at a paid provider: the result states its estimated_cost_usd, and a job over the ' +
    'spending cap the user set is refused before anything is sent. Returns the job (status queued/in_progress) at once, or with ' +
    'wait_for_completion=true waits until it completes and saves download_variants as files (resource_link results; an existing file is never ' +
    `replaced unless overwrite is true). Rendering takes from about a minute to several; without waiting, poll ${w.retrieve} and then ` +
    `call ${w.download}. Call ${w.models} first to pick a model and see what it takes and costs. Optional ` +
    'input_reference and last_frame set the first and last frame (fitted to the video size as input_reference_fit says); reference_images keep ' +
    'a character or style; generate_audio, seed, aspect_ratio with resolution, and provider_options reach models that take them.',
  view: true,
  input: (d: InputDefaults) =>
    toolInput({
      prompt: prompt.describe('What the video shows: shot type, subject, action, setting, lighting. 1 to 32000 characters.'),
      model: withDefault(model, d.model),
      seconds: withDefault(seconds, d.seconds),
      size: withDefault(size, d.size),
      ...referenceInputs,
      ...controlInputs,
      ...followInputs,
      idempotency_key: idempotencyKey,
    }),
  outputSchema: videoOutput,
  hints: writesFiles,
  async run(u, args, context) {
    const input = { ...toCreateOptions(args), ...toFollowOptions(args), idempotencyKey: args.idempotency_key };
    return presentJob(u, await u.create.execute(input, context), context);
  },
});
