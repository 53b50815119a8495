import { followInputs, idempotencyKey, model, prompt, seconds, size, toFollowOptions, toolInput, videoOutput } from '../schemas';
import { controlInputs, DOCUMENTED_PROVIDER, referenceInputs, toCreateOptions } from './create-inputs';
import { defineOperation, type InputDefaults, presentJob, withDefault, writesFiles } from '../tools';
import type { ControlName } from '../../domain/controls';
import type { ProviderProfile } from '../../domain/ports';

/** Starts a paid job; it may wait for it and save its files. */
export const create = defineOperation({
  title: 'Create video',
  describe: (w) =>
    'Start a video generation job. It costs money at a paid provider: the result states its estimated_cost_usd, and a job over the ' +
    'spending cap the user set is refused before anything is sent. Returns the job (status queued/in_progress) at once, or with ' +
    'wait_for_completion=true waits until it completes and saves download_variants as files (resource_link results; an existing file is never ' +
    `replaced unless overwrite is true). Rendering takes from about a minute to several; without waiting, poll ${w.retrieve} and then ` +
    `call ${w.download}. Call ${w.models} first to pick a model and see what it takes and costs. ${controlsSentence(w.provider ?? DOCUMENTED_PROVIDER)}`,
  view: true,
  input: (d: InputDefaults, w) =>
    toolInput({
      prompt: prompt.describe('What the video shows: shot type, subject, action, setting, lighting. 1 to 32000 characters.'),
      model: withDefault(model, d.model),
      seconds: withDefault(seconds, d.seconds),
      size: withDefault(size, d.size),
      ...referenceInputs(w.provider ?? DOCUMENTED_PROVIDER),
      ...controlInputs(w.provider ?? DOCUMENTED_PROVIDER, w),
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

/** What the optional controls do, naming only those the provider takes. */
function controlsSentence(provider: ProviderProfile): string {
  const takes = (control: ControlName) => provider.controls.includes(control);
  const frames = takes('last_frame')
    ? 'input_reference and last_frame set the first and last frame'
    : 'input_reference sets the first frame';
  const parts = [`Optional ${frames} (fitted to the video size as input_reference_fit says)`];
  if (takes('reference_images')) parts.push('reference_images keep a character or style');
  const rest = (['generate_audio', 'seed', 'negative_prompt'] as const).filter(takes);
  const geometry = takes('aspect_ratio') && takes('resolution') ? ['aspect_ratio with resolution'] : [];
  const others = [...rest, ...geometry, ...(takes('provider_options') ? ['provider_options'] : [])];
  if (others.length > 0) parts.push(`${others.join(', ')} reach models that take them`);
  return `${parts.join('; ')}.`;
}
