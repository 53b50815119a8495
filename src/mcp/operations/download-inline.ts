import { z } from 'zod';
import { ENV } from '../../config/variables';
import { IMAGE_PREVIEW_MAX_BYTES, INLINE_DOWNLOAD_MAX_BYTES } from '../limits';
import { overwrite, toolInput, variant, videoId } from '../schemas';
import { defineOperation, writesFiles } from '../tools';

/** The `sora2` set's download: the saved file, and its bytes inline when small (its own result shape). */
export const downloadInline = defineOperation({
  title: 'Download video',
  describe: () =>
    'Download a completed video (MP4), its thumbnail (WebP) or its spritesheet (JPEG). Only works when status is completed. The file is saved ' +
    `inside ${ENV.roots.name} under a free name (never replacing a file unless overwrite is true) and returned as a resource_link; assets up to ` +
    `${INLINE_DOWNLOAD_MAX_BYTES / 1024} KiB also come back as data_base64 (videos and most images are larger: use the file).`,
  view: true,
  input: () => toolInput({ video_id: videoId.describe('A completed video.'), variant: variant.default('video'), overwrite }),
  outputSchema: z.looseObject({
    video_id: z.string(),
    variant: z.string(),
    size_bytes: z.number(),
    mime_type: z.string(),
    file: z.string().describe(`Where the asset was saved, inside ${ENV.roots.name}.`),
    uri: z.string(),
    data_base64: z
      .string()
      .optional()
      .describe(
        `The bytes, base64-encoded, when the asset is at most ${INLINE_DOWNLOAD_MAX_BYTES} bytes (sent once: the text copy only points here).`,
      ),
    inlined: z.boolean(),
    note: z.string(),
  }),
  hints: writesFiles,
  async run(u, args, context) {
    const result = await u.download.execute({ videoId: args.video_id, variant: args.variant, overwrite: args.overwrite }, context);
    // Bytes for data_base64 (any asset up to its limit) or for an image block (an image up to its own).
    const previews = await u.media.previews(
      result.files,
      IMAGE_PREVIEW_MAX_BYTES,
      (file) => file.mimeType.startsWith('image/') || file.sizeBytes <= INLINE_DOWNLOAD_MAX_BYTES,
    );
    return u.presenter.inlineDownload(result, args.variant, previews);
  },
});
