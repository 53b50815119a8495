import { z } from 'zod';
import { joinOutput, overwrite, toolInput } from '../schemas';
import { defineOperation, writesLocalFiles } from '../tools';
import { madeFile, savedVideo } from './edit-inputs';
import { JOIN_SOURCES } from '../../application/use-cases/edit-videos';

/** Saved videos, one after the other, as one MP4 (ffmpeg). */
export const join = defineOperation({
  title: 'Join videos',
  describe: () =>
    'Join saved videos, in the order given, into one MP4 with ffmpeg: copied as they are when every clip shares codec, size, frame rate and ' +
    "sound (no loss, seconds), otherwise encoded once to the first clip's size and frame rate (H.264). The result says each clip's duration " +
    'and the whole, read back from the files. Free: nothing is sent to the provider.',
  input: () =>
    toolInput({
      sources: z
        .array(savedVideo('sources'))
        .min(2, 'sources needs at least 2 videos to join')
        .max(JOIN_SOURCES.most, `sources holds at most ${JOIN_SOURCES.most} videos`)
        .describe(`The saved videos, in order (2 to ${JOIN_SOURCES.most}), each inside the allowed folders.`),
      file: madeFile('joined MP4', 'beside the first source, as <source>-joined.mp4'),
      overwrite,
    }),
  outputSchema: joinOutput,
  hints: writesLocalFiles,
  async run(u, args, context) {
    return u.presenter.joined(await u.edits!.join({ sources: args.sources, file: args.file, overwrite: args.overwrite }, context));
  },
});
