import type { RemixVideo } from '../../application/remix-video';
import type { Presenter } from '../presenter';
import { followInputs, prompt, toFollowOptions, toolInput, videoId, videoOutput } from '../schemas';
import { defineTool } from '../tool';

export const openaiVideosRemixInput = toolInput({
  video_id: videoId.describe('The completed video to remix.'),
  prompt: prompt.describe('The change to make, kept to one well-defined adjustment (e.g. "same shot at dusk").'),
  ...followInputs,
});

export function openaiVideosRemix(useCase: RemixVideo, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-remix',
    title: 'Remix video',
    description:
      'Start a new job that remixes a completed video with a targeted change, keeping its structure (costs money at a paid provider). ' +
      'Same waiting and downloading options as openai-videos-create. The API takes no reference image for a remix.',
    inputSchema: openaiVideosRemixInput,
    outputSchema: videoOutput,
    annotations: { title: 'Remix video', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async handle(args, context) {
      const result = await useCase.execute({ videoId: args.video_id, prompt: args.prompt, ...toFollowOptions(args) }, context);
      return presenter.job(result);
    },
  });
}
