import { z } from 'zod';
import type { DownloadContent } from '../../../application/download-content';
import { INLINE_DOWNLOAD_MAX_BYTES } from '../../limits';
import type { Presenter } from '../../presenter';
import { overwrite, toolInput, variant, videoId } from '../../schemas';
import { defineTool } from '../../tool';

export const downloadVideoInput = toolInput({
  video_id: videoId.describe('The video job ID.'),
  variant: variant.default('video'),
  overwrite,
});

export const downloadVideoOutput = z.looseObject({
  video_id: z.string(),
  variant: z.string(),
  size_bytes: z.number(),
  mime_type: z.string(),
  file: z.string().describe('Where the asset was saved, inside MEDIA_GEN_DIRS.'),
  uri: z.string(),
  data_base64: z
    .string()
    .optional()
    .describe(
      `The bytes, base64-encoded, when the asset is at most ${INLINE_DOWNLOAD_MAX_BYTES} bytes (sent once: the text copy only points here).`,
    ),
  inlined: z.boolean(),
  note: z.string(),
});

export function downloadVideo(useCase: DownloadContent, presenter: Presenter) {
  return defineTool({
    name: 'download_video',
    title: 'Download video',
    description:
      'Download a completed video (MP4), its thumbnail (WebP) or its spritesheet (JPEG). Only works when status is completed. The file is saved ' +
      `inside MEDIA_GEN_DIRS under a free name (never replacing a file unless overwrite is true) and returned as a resource_link; assets up to ` +
      `${INLINE_DOWNLOAD_MAX_BYTES / 1024} KiB also come back as data_base64 (videos and most images are larger: use the file).`,
    inputSchema: downloadVideoInput,
    outputSchema: downloadVideoOutput,
    annotations: { title: 'Download video', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async handle(args, context) {
      const result = await useCase.execute(
        { videoId: args.video_id, variant: args.variant, overwrite: args.overwrite, retainUpTo: INLINE_DOWNLOAD_MAX_BYTES },
        context,
      );
      return presenter.inlineDownload(result, args.variant, INLINE_DOWNLOAD_MAX_BYTES);
    },
  });
}
