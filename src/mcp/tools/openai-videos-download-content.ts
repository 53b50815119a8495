import type { DownloadContent } from '../../application/download-content';
import type { Presenter } from '../presenter';
import { file, overwrite, variant, videoId, videoOutput, toolInput } from '../schemas';
import { IMAGE_PREVIEW_MAX_BYTES } from '../limits';
import { defineTool } from '../tool';

export const openaiVideosDownloadContentInput = toolInput({
  video_id: videoId.describe('A completed video.'),
  variant: variant.default('video'),
  file: file.optional(),
  overwrite,
});

export function openaiVideosDownloadContent(useCase: DownloadContent, presenter: Presenter) {
  return defineTool({
    name: 'openai-videos-download-content',
    title: 'Download video content',
    description:
      'Save a completed video\'s MP4 (variant "video"), WebP thumbnail or JPEG spritesheet to a file inside MEDIA_GEN_DIRS and return a ' +
      "resource_link to it (a thumbnail or spritesheet also comes back as an image to look at; videos are never inlined). The result's JSON is the video job, retrieved after the download. Assets expire at the provider " +
      '(see expires_at), so save them promptly. An existing file is never replaced unless overwrite is true.',
    inputSchema: openaiVideosDownloadContentInput,
    outputSchema: videoOutput,
    annotations: {
      title: 'Download video content',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    async handle(args, context) {
      return presenter.job(
        await useCase.execute(
          {
            videoId: args.video_id,
            variant: args.variant,
            file: args.file,
            overwrite: args.overwrite,
            retainUpTo: IMAGE_PREVIEW_MAX_BYTES,
          },
          context,
        ),
      );
    },
  });
}
