import { NO_WAIT } from '../../../application/follow-job';
import type { RemixVideo } from '../../../application/remix-video';
import type { Presenter } from '../../presenter';
import { prompt, toolInput, videoId, videoOutput } from '../../schemas';
import { defineTool } from '../../tool';

export const remixVideoInput = toolInput({
  video_id: videoId.describe('The ID of the completed video to use as the base.'),
  prompt: prompt.describe('The change to apply. Keep it focused on a single, well-defined adjustment for best results.'),
});

export function remixVideo(useCase: RemixVideo, presenter: Presenter) {
  return defineTool({
    name: 'remix_video',
    title: 'Remix video',
    description:
      'Create a new video by remixing a completed one with a targeted adjustment, preserving its structure and composition (costs money at a paid provider). ' +
      'Returns the new job; poll get_video_status.',
    inputSchema: remixVideoInput,
    outputSchema: videoOutput,
    annotations: { title: 'Remix video', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async handle(args, context) {
      return presenter.job(await useCase.execute({ videoId: args.video_id, prompt: args.prompt, ...NO_WAIT }, context));
    },
  });
}
