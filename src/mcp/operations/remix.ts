import { followInputs, idempotencyKey, prompt, toFollowOptions, toolInput, videoId, videoOutput } from '../schemas';
import { DOCUMENTED_PROVIDER, providerOptions } from './create-inputs';
import { defineOperation, presentJob, writesFiles } from '../tools';

/** Starts a paid job that changes a finished one. */
export const remix = defineOperation({
  title: 'Remix video',
  describe: (w) =>
    'Start a new job that remixes a completed video with a targeted change, keeping its structure (costs money at a paid provider: the ' +
    'result states its estimated_cost_usd, and a remix over the spending cap is refused before anything is sent). Same waiting and ' +
    `downloading options as ${w.create}. A remix takes only the change, as a prompt: no images.`,
  view: true,
  input: (_defaults, w) =>
    toolInput({
      video_id: videoId.describe('The completed video to remix.'),
      prompt: prompt.describe('The change to make, kept to one well-defined adjustment (e.g. "same shot at dusk").'),
      provider_options: providerOptions(w.provider ?? DOCUMENTED_PROVIDER),
      ...followInputs,
      idempotency_key: idempotencyKey,
    }),
  outputSchema: videoOutput,
  hints: writesFiles,
  async run(u, args, context) {
    const input = {
      videoId: args.video_id,
      prompt: args.prompt,
      providerOptions: args.provider_options,
      idempotencyKey: args.idempotency_key,
      ...toFollowOptions(args),
    };
    return presentJob(u, await u.remix.execute(input, context), context);
  },
});
