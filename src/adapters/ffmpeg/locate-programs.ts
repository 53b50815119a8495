import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ENV } from '../../config/variables';
import type { FfmpegPrograms } from './ffmpeg-video-editor';

/** Where ffmpeg and ffprobe were found, or why not (for `doctor`). */
export type Located = { found: true; programs: FfmpegPrograms } | { found: false; reason: string };

/**
 * Finds ffmpeg and ffprobe without running anything: the ffmpeg named (and ffprobe beside it, else on PATH), or both on
 * PATH. A few stat calls at start-up, since the tools offered depend on it; their versions are asked only by `doctor`.
 */
export function locateFfmpeg(named: string | undefined, searchPath: readonly string[], platform = process.platform): Located {
  const exe = platform === 'win32' ? '.exe' : '';
  const onPath = (program: string) => searchPath.map((folder) => path.join(folder, program + exe)).find(isExecutable);
  if (named !== undefined) {
    if (!isExecutable(named)) return { found: false, reason: `${named} (${ENV.ffmpeg.name}) is not an executable file` };
    const ffprobe = [path.join(path.dirname(named), `ffprobe${exe}`)].find(isExecutable) ?? onPath('ffprobe');
    if (!ffprobe) return { found: false, reason: `no ffprobe beside ${named} or on ${ENV.path.name}` };
    return { found: true, programs: { ffmpeg: named, ffprobe } };
  }
  const ffmpeg = onPath('ffmpeg');
  const ffprobe = onPath('ffprobe');
  if (!ffmpeg || !ffprobe)
    return { found: false, reason: `no ${ffmpeg ? 'ffprobe' : 'ffmpeg'} on ${ENV.path.name} (install ffmpeg, or set ${ENV.ffmpeg.name})` };
  return { found: true, programs: { ffmpeg, ffprobe } };
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
