import { z } from 'zod';
import { frameOutput, overwrite, toolInput } from '../schemas';
import { defineOperation, writesLocalFiles } from '../tools';
import { IMAGE_PREVIEW_MAX_BYTES } from '../limits';
import { madeFile, savedVideo } from './edit-inputs';

/** One frame of a saved video as a PNG (ffmpeg): the first, the last, or the one at a time. */
export const frame = defineOperation({
  title: 'Extract a frame',
  describe: (w) =>
    'Save one frame of a saved video as a PNG, decoded by ffmpeg: the first, the last (the default), or the one shown at a time in seconds. ' +
    `The PNG can be the input_reference of ${w.create}, to start a new shot where this one ends. It comes back as a resource_link and, when ` +
    'small, as an image to look at. Free: nothing is sent to the provider.',
  input: () =>
    toolInput({
      source: savedVideo('source'),
      at: z
        .union([z.enum(['first', 'last']), z.number().min(0, 'at must be 0 or more seconds')], {
          error: 'at must be "first", "last" or a time in seconds (0 or more)',
        })
        .default('last')
        .describe('Which frame: "first", "last" (default), or a time in seconds from the start, such as 2.5.'),
      file: madeFile('PNG', 'beside the source, as <source>-last-frame.png'),
      overwrite,
    }),
  outputSchema: frameOutput,
  hints: writesLocalFiles,
  async run(u, args, context) {
    const made = await u.edits!.frame({ source: args.source, at: args.at, file: args.file, overwrite: args.overwrite }, context);
    const previews = await u.media.previews([made.file], IMAGE_PREVIEW_MAX_BYTES, () => true);
    return u.presenter.frame(made, previews);
  },
});
