import { z } from 'zod';
import { ENV } from '../../config/variables';

/** A video this server (or anyone) saved inside the roots, read by ffmpeg. */
export function savedVideo(field: string) {
  return z
    .string()
    .min(1, `${field} is empty: pass the path of a saved video inside ${ENV.roots.name}`)
    .max(4096)
    .describe(
      `A saved video (MP4 or QuickTime) inside ${ENV.roots.name}: an absolute path under an allowed folder, or a path relative to the first one, ` +
        'such as the file a create or download result names.',
    );
}

/** Where a tool that makes a file writes it (never replacing one unless overwrite is true). */
export function madeFile(what: string, fallback: string) {
  return z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe(
      `Where the ${what} goes, inside ${ENV.roots.name} (absolute, or relative to the first folder; the extension comes from the bytes). ` +
        `An existing file is never replaced unless overwrite is true. Default: ${fallback} (with -2, -3, … when taken).`,
    );
}
