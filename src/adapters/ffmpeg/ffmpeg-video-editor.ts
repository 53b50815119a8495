// node:fs/promises loads on first use (fs.promises is a lazy getter), not at start-up: it brings readline and watchers.
import { createReadStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CancelledError, DomainError, isDomainError, invalidInput, editFailed } from '../../domain/errors';
import type { ClipFacts, ClipSource, ExtractedFrame, FrameAt, JoinedClip, Logger, MediaContent, VideoEditor } from '../../domain/ports';

export interface FfmpegPrograms {
  ffmpeg: string;
  ffprobe: string;
}

export interface FfmpegVideoEditorOptions {
  programs: FfmpegPrograms;
  /**
   * Opens a caller's file for reading, inside the roots (the one containment check, given by the composition root so
   * that this adapter does not depend on another): a regular file, never through a link.
   */
  openSource: (path: string, field: string) => Promise<FileHandle>;
  /** The largest file it makes (ffmpeg's `-fs`; a result that reaches it is refused, never kept cut short). */
  maxOutputBytes: number;
  /** How long one run of ffmpeg or ffprobe may take before it is killed. */
  deadlineMs: number;
  /** Where its private folders are made (default: the system's temporary folder). */
  tempFolder?: string;
  logger: Logger;
}

/** The most of a program's stderr kept for the log: its last lines say why it stopped. */
const STDERR_KEPT = 16 * 1024;
/** The child's descriptor of its first source: 0–2 are its stdio. */
const FIRST_SOURCE_FD = 3;
/**
 * Inputs are read as MP4/QuickTime only (`-f mov`), over the `file` protocol only, with external data references off:
 * a "video" that is really a playlist or a reference movie cannot make ffmpeg fetch a URL or read another file.
 */
const INPUT_OPTIONS = ['-protocol_whitelist', 'file', '-f', 'mov', '-enable_drefs', '0'];

/**
 * ffmpeg and ffprobe from the system (ADR 0020), run with an argument array (never a shell), a deadline, and an output
 * size limit. A source is opened here through the one containment check (O_NOFOLLOW, a regular file) and handed to the
 * child as an open descriptor (`/dev/fd/N`), so what ffmpeg reads is the file that was checked, whatever is renamed or
 * linked after. Its output goes to a private temporary folder and is handed back as content, for the MediaStore to
 * place; the folder is removed when the content has been read or cancelled. Its stderr goes to the log (redacted there),
 * never to the agent.
 */
export class FfmpegVideoEditor implements VideoEditor {
  constructor(private readonly options: FfmpegVideoEditorOptions) {}

  async describe(): Promise<string> {
    const first = async (program: string) => {
      const { stdout } = await this.run(program, ['-version'], [], undefined, 'version');
      return stdout.split('\n')[0]?.trim() ?? program;
    };
    return `${await first(this.options.programs.ffmpeg)} (${this.options.programs.ffmpeg}); ffprobe at ${this.options.programs.ffprobe}`;
  }

  async probe(source: ClipSource, signal?: AbortSignal): Promise<ClipFacts> {
    return this.withSources([source], signal, ([fd]) => this.probeOpen(source, fd!, signal));
  }

  async frame(source: ClipSource, at: FrameAt, signal?: AbortSignal): Promise<ExtractedFrame> {
    return this.withSources([source], signal, async ([fd]) => {
      const facts = await this.probeOpen(source, fd!, signal);
      if (typeof at === 'number' && at > facts.durationSeconds) {
        throw invalidInput('at', { rule: 'after_end', at, duration_seconds: facts.durationSeconds });
      }
      // The last frame: seek to a second before the end and keep overwriting the one picture (`-update`).
      const seek = at === 'first' ? [] : at === 'last' ? ['-sseof', '-1'] : ['-ss', String(at)];
      const content = await this.produce(
        'frame.png',
        'image/png',
        signal,
        (output) => [
          ...seek,
          ...INPUT_OPTIONS,
          '-i',
          childSource(0),
          ...(at === 'last' ? ['-update', '1'] : ['-frames:v', '1']),
          '-f',
          'image2',
          '-c:v',
          'png',
          output,
        ],
        [fd!],
      );
      return { content, source: facts };
    });
  }

  async join(sources: readonly ClipSource[], signal?: AbortSignal): Promise<JoinedClip> {
    return this.withSources(sources, signal, async (fds) => {
      const facts: ClipFacts[] = [];
      for (const [index, source] of sources.entries()) facts.push(await this.probeOpen(source, fds[index]!, signal));
      const first = facts[0]!;
      const alike = facts.every(
        (clip) =>
          clip.codec === first.codec &&
          clip.width === first.width &&
          clip.height === first.height &&
          Math.abs(clip.frameRate - first.frameRate) < 0.01 &&
          clip.audio === first.audio,
      );
      if (alike) return { content: await this.copyJoin(fds, signal), reencoded: false, sources: facts };
      return { content: await this.reencodeJoin(fds, facts, signal), reencoded: true, sources: facts };
    });
  }

  /** Clips that share codec, size, frame rate and sound: each remuxed (as MP4, read as MP4) and then concatenated as they are. */
  private async copyJoin(fds: readonly number[], signal?: AbortSignal): Promise<MediaContent> {
    const folder = await fsp.mkdtemp(path.join(this.options.tempFolder ?? os.tmpdir(), 'sora2-mcp-join-'));
    try {
      const parts: string[] = [];
      for (const [index, fd] of fds.entries()) {
        const part = path.join(folder, `part-${index}.mp4`);
        await this.run(
          this.options.programs.ffmpeg,
          ['-nostdin', '-v', 'error', ...INPUT_OPTIONS, '-i', childSource(0), '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-y', part],
          [fd],
          signal,
          'join',
        );
        parts.push(part);
      }
      // Our own list of our own files: nothing a caller wrote is read as a list.
      const list = path.join(folder, 'list.ffconcat');
      await fsp.writeFile(list, `ffconcat version 1.0\n${parts.map((part) => `file '${part}'`).join('\n')}\n`);
      return await this.produce(
        'joined.mp4',
        'video/mp4',
        signal,
        (output) => [
          '-protocol_whitelist',
          'file',
          '-f',
          'concat',
          '-safe',
          '0',
          '-i',
          list,
          '-c',
          'copy',
          '-movflags',
          '+faststart',
          output,
        ],
        [],
      );
    } finally {
      await fsp.rm(folder, { recursive: true, force: true });
    }
  }

  /** Clips that differ: scaled and padded to the first one's size, at its frame rate, and encoded once (H.264, AAC). */
  private reencodeJoin(fds: readonly number[], facts: readonly ClipFacts[], signal?: AbortSignal): Promise<MediaContent> {
    const { width, height, frameRate } = facts[0]!;
    const audio = facts.every((clip) => clip.audio !== undefined);
    const filters: string[] = [];
    const inputs: string[] = [];
    for (const index of fds.keys()) {
      filters.push(
        `[${index}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,` +
          `setsar=1,fps=${frameRate},format=yuv420p[v${index}]`,
      );
      if (audio) filters.push(`[${index}:a:0]aresample=48000,aformat=channel_layouts=stereo[a${index}]`);
      inputs.push(audio ? `[v${index}][a${index}]` : `[v${index}]`);
    }
    filters.push(`${inputs.join('')}concat=n=${fds.length}:v=1:a=${audio ? 1 : 0}${audio ? '[v][a]' : '[v]'}`);
    return this.produce(
      'joined.mp4',
      'video/mp4',
      signal,
      (output) => [
        ...fds.flatMap((_, index) => [...INPUT_OPTIONS, '-i', childSource(index)]),
        '-filter_complex',
        filters.join(';'),
        '-map',
        '[v]',
        ...(audio ? ['-map', '[a]', '-c:a', 'aac'] : []),
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '18',
        '-movflags',
        '+faststart',
        output,
      ],
      fds,
    );
  }

  private async probeOpen(source: ClipSource, fd: number, signal?: AbortSignal): Promise<ClipFacts> {
    let json: unknown;
    try {
      const { stdout } = await this.run(
        this.options.programs.ffprobe,
        ['-v', 'error', ...INPUT_OPTIONS, '-print_format', 'json', '-show_format', '-show_streams', childSource(0)],
        [fd],
        signal,
        'probe',
      );
      json = JSON.parse(stdout);
    } catch (error) {
      // ffprobe that ran and could not read it: not a video. Cancelled, out of time, or not started: said as it is.
      if (isDomainError(error) && !(error.code === 'edit_failed' && error.details?.reason === 'exit')) throw error;
      throw notAVideo(source);
    }
    const facts = clipFacts(json);
    if (!facts) throw notAVideo(source);
    return facts;
  }

  /** Opens every source inside the roots, runs `work` with their descriptors, and closes them. */
  private async withSources<T>(sources: readonly ClipSource[], signal: AbortSignal | undefined, work: (fds: number[]) => Promise<T>) {
    const handles: FileHandle[] = [];
    try {
      for (const source of sources) {
        if (signal?.aborted) throw new CancelledError();
        handles.push(await this.options.openSource(source.path, source.field));
      }
      return await work(handles.map((handle) => handle.fd));
    } finally {
      await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
    }
  }

  /**
   * Runs ffmpeg into a file of a private folder and hands it back as content: streamed, and the folder removed once
   * the content is read or cancelled (or at once, when ffmpeg fails).
   */
  private async produce(
    name: string,
    contentType: string,
    signal: AbortSignal | undefined,
    args: (output: string) => string[],
    fds: readonly number[],
  ): Promise<MediaContent> {
    const folder = await fsp.mkdtemp(path.join(this.options.tempFolder ?? os.tmpdir(), 'sora2-mcp-edit-'));
    const cleanup = () => fsp.rm(folder, { recursive: true, force: true }).catch(() => undefined);
    try {
      const output = path.join(folder, name);
      const argv = ['-nostdin', '-v', 'error', ...args(output)];
      // `-fs` stops writing at the limit: a file that reaches it was cut short, and is refused below.
      argv.splice(argv.length - 1, 0, '-fs', String(this.options.maxOutputBytes));
      await this.run(this.options.programs.ffmpeg, argv, fds, signal, 'edit');
      const { size } = await fsp.stat(output).catch(() => {
        throw editFailed({ reason: 'no_output' });
      });
      if (size >= this.options.maxOutputBytes) {
        throw editFailed({ reason: 'over_cap', max_bytes: this.options.maxOutputBytes });
      }
      const body = createReadStream(output, { signal });
      body.on('error', () => undefined);
      body.on('close', () => void cleanup());
      return { contentType, contentLength: size, body, cancel: () => body.destroy() };
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  /**
   * Runs one program with an argument array and the given descriptors as its fds 3, 4, …; kills it at the deadline or
   * when the call is cancelled. A failure is `edit_failed` (the stderr goes to the log only).
   */
  private async run(
    program: string,
    args: readonly string[],
    fds: readonly number[],
    signal: AbortSignal | undefined,
    step: string,
  ): Promise<{ stdout: string }> {
    if (signal?.aborted) throw new CancelledError();
    // Loaded on the first edit, not at start-up.
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe', ...fds], windowsHide: true });
      const stdout: Buffer[] = [];
      let stderr = '';
      let ended: DomainError | undefined;
      child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
      });
      const stop = (error: DomainError) => {
        ended ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(
        () => stop(editFailed({ reason: 'deadline', step, program: path.basename(program), deadline_ms: this.options.deadlineMs })),
        this.options.deadlineMs,
      );
      const onAbort = () => stop(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error: NodeJS.ErrnoException) => {
        ended ??= editFailed({ reason: 'not_started', step, program: path.basename(program), errno: error.code ?? 'error' });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (ended) return reject(ended);
        if (code !== 0) {
          this.options.logger.log('warn', `${path.basename(program)} (${step}) exited with ${code}: ${stderr.trim()}`);
          return reject(editFailed({ reason: 'exit', step, program: path.basename(program) }));
        }
        if (stderr.trim()) this.options.logger.log('debug', `${path.basename(program)} (${step}): ${stderr.trim()}`);
        resolve({ stdout: Buffer.concat(stdout).toString('utf8') });
      });
    });
  }
}

/** How the child reaches the `index`th descriptor it was given (its fds 3, 4, …), read as a file. */
function childSource(index: number): string {
  return `file:/dev/fd/${FIRST_SOURCE_FD + index}`;
}

function notAVideo(source: ClipSource): DomainError {
  return invalidInput(source.field, { rule: 'not_a_video', path: source.path });
}

/** The facts of ffprobe's JSON: its first video stream, its first audio stream, the container's duration. */
function clipFacts(json: unknown): ClipFacts | undefined {
  const probe = json as { streams?: Record<string, unknown>[]; format?: { duration?: string } };
  const video = probe.streams?.find((stream) => stream.codec_type === 'video');
  const audio = probe.streams?.find((stream) => stream.codec_type === 'audio');
  const duration = Number(probe.format?.duration ?? video?.duration);
  if (!video || !Number.isFinite(duration) || duration <= 0) return undefined;
  const rate = [video.avg_frame_rate, video.r_frame_rate].find((value): value is string => typeof value === 'string' && value !== '0/0');
  const [num, den] = (rate ?? '0/1').split('/').map(Number) as [number, number];
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    width: Number(video.width),
    height: Number(video.height),
    codec: String(video.codec_name),
    frameRate: den ? Math.round((num / den) * 1000) / 1000 : 0,
    ...(audio ? { audio: String(audio.codec_name) } : {}),
  };
}
