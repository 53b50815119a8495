import { FfmpegVideoEditor } from '../adapters/ffmpeg/ffmpeg-video-editor';
import { locateFfmpeg } from '../adapters/ffmpeg/locate-programs';
import { openInsideRoots } from '../adapters/filesystem/containment';
import type { Logger } from '../domain/ports';
import type { AppConfig } from './config';

/**
 * ffmpeg and ffprobe from the system, where they are found and files are kept in folders (they read and write local
 * files); otherwise none, and the frame, join and sequence tools are not offered (ADR 0020).
 */
export function videoEditor(config: AppConfig, logger: Logger): FfmpegVideoEditor | undefined {
  if (config.store.kind !== 'filesystem') return undefined;
  const located = locateFfmpeg(config.ffmpeg.program, config.ffmpeg.searchPath);
  if (!located.found) return undefined;
  return new FfmpegVideoEditor({
    programs: located.programs,
    openSource: (file, field) => openInsideRoots(config.roots, file, field),
    maxOutputBytes: config.maxDownloadBytes,
    deadlineMs: config.downloadTimeoutMs,
    logger,
  });
}

/** What `doctor` says about ffmpeg: which programs and their versions, or why the editing tools are not offered. */
export async function describeVideoEditor(config: AppConfig): Promise<{ found: boolean; detail: string }> {
  if (config.store.kind !== 'filesystem') return { found: false, detail: 'media is kept in S3, and ffmpeg reads and writes local files' };
  const located = locateFfmpeg(config.ffmpeg.program, config.ffmpeg.searchPath);
  if (!located.found) return { found: false, detail: located.reason };
  try {
    // `doctor` says what failed itself: nothing is logged.
    return { found: true, detail: await videoEditor(config, { log: () => undefined })!.describe() };
  } catch {
    return { found: false, detail: `${located.programs.ffmpeg} did not run` };
  }
}
