import { fileExists, invalidInput } from '../domain/errors';
import { fileStemForId, fnv1a64 } from '../domain/file-names';
import { extensionForContentType } from '../domain/media';
import type { MediaStore } from '../domain/ports';
import { redactSecrets } from '../domain/redaction';
import { checkPortableSegments, stripMediaExtension } from '../domain/store-names';
import type { VideoVariant } from '../domain/video';

/**
 * The one naming policy: which names a job's files get, decided here once for every store. A store
 * only places bytes under the names it is given and reports a clash (MediaStore); it never makes a
 * name up. The policy:
 * - the caller's `file` (a name, or a folder for the default name; a media extension on it is replaced
 *   by the one the bytes decide), else a stem from the job's id in the store's default place;
 * - several variants get `_video`, `_thumbnail`, `_spritesheet` suffixes;
 * - collisions: a caller's own name is never clobbered (refused before anything is paid for), a
 *   default name moves on to `-2`, `-3`…, and `overwrite` replaces;
 * - no name carries a secret: a part that would (a provider's id with the key in it) becomes a hash of
 *   itself, so nothing secret is written to disk or a bucket and a link points at the file it names.
 */

/** How many numbered names (`name-2`, `name-3`, …) a default name may move on to. */
const MAX_FREE_NAME_TRIES = 1000;

/** The extensions each variant's bytes can give it (its bytes decide which). */
const EXTENSIONS: Readonly<Record<VideoVariant, readonly string[]>> = {
  video: ['.mp4', '.mov'],
  thumbnail: ['.webp', '.jpg', '.png'],
  spritesheet: ['.webp', '.jpg', '.png'],
};

export interface NameRequest {
  /** The caller's `file`, when it gave one. */
  file?: string;
  /**
   * The stem for the default name (see `stemFor`), also the name inside a folder the caller named. Left out before the job
   * exists: the plan is made (and the caller's names checked) once, before anything is paid for, and takes the job's id
   * with `forJob` when there is one.
   */
  stem?: string;
  variants: readonly VideoVariant[];
  /** The caller asked to replace what is there. */
  overwrite: boolean;
}

/** The names a job's downloads are written under, checked before the job was paid for. */
export interface NamePlan {
  /** Names for one variant's bytes, in order of preference (the store takes the first free one). */
  namesFor(variant: VideoVariant, contentType: string): Iterable<string>;
  /** Whether the first name is replaced whatever holds it. */
  readonly replace: boolean;
  /** This plan for the job whose id is now known: its default names come from the id (a clash is the store's to report). */
  forJob(id: string): NamePlan;
}

export interface OutputNamesOptions {
  /** Names may use Windows paths (`C:\Videos\clip`): `\` separates folders and a drive may lead. */
  windowsPaths?: boolean;
}

export class OutputNames {
  constructor(
    private readonly store: MediaStore,
    private readonly secrets: readonly string[],
    private readonly options: OutputNamesOptions = {},
  ) {}

  /** The stem for a job's files when the caller names none: from its id, or a hash of the id when it carries a secret. */
  stemFor(id: string): string {
    const stem = fileStemForId(id);
    return this.isClean(stem) ? stem : `video-${fnv1a64(id)}`;
  }

  /** Checks every name the request may write (nothing is written), and returns the plan its downloads follow. */
  async plan(request: NameRequest): Promise<NamePlan> {
    const collision = request.overwrite ? 'replace' : request.file === undefined ? 'next-free' : 'refuse';
    const base = await this.base(request.file);
    const suffix = (variant: VideoVariant) => (request.variants.length > 1 ? `_${variant}` : '');
    // A name that needs the job's id is checked when the id is known beforehand; otherwise the store reports a clash.
    if (typeof base === 'string' || request.stem !== undefined) {
      const named = typeof base === 'string' ? base : base(request.stem!);
      for (const variant of request.variants) {
        // A caller's own name is checked in every form its bytes could give it; a default or replaced one where it goes.
        const extensions = collision === 'refuse' ? EXTENSIONS[variant] : EXTENSIONS[variant].slice(0, 1);
        for (const extension of extensions) {
          const name = named + suffix(variant) + extension;
          const state = await this.store.inspect(name);
          if (state === 'folder') throw invalidInput('file', { rule: 'name_unusable', path: name, problem: 'is_folder' });
          if (state === 'taken' && collision === 'refuse') throw fileExists(name);
        }
      }
    }
    const planFor = (stem: string | undefined): NamePlan => ({
      replace: collision === 'replace',
      namesFor(variant, contentType) {
        if (typeof base !== 'string' && stem === undefined) throw new Error('OutputNames: the plan needs forJob(id) before its names');
        const named = (typeof base === 'string' ? base : base(stem!)) + suffix(variant);
        const extension = extensionForContentType(contentType);
        return collision === 'next-free' ? numbered(named, extension) : [named + extension];
      },
      forJob: (id) => planFor(this.stemFor(id)),
    });
    return planFor(request.stem);
  }

  /**
   * The name without suffix and extension: the caller's own (checked, its secrets hashed), or, for the default name (alone
   * or inside the folder the caller named), a function of the stem.
   */
  private async base(file: string | undefined): Promise<string | ((stem: string) => string)> {
    if (file === undefined) return (stem) => stem;
    const named = this.secretFree(file);
    this.checkPortable(named);
    const separator = this.options.windowsPaths ? /[\\/]$/ : /\/$/;
    if (separator.test(named) || (await this.store.inspect(named)) === 'folder') {
      const folder = named.replace(separator, '');
      // A Windows folder written with backslashes keeps them: `C:\Videos\` → `C:\Videos\video_9.mp4`.
      const joiner = this.options.windowsPaths && named.includes('\\') && !named.includes('/') ? '\\' : '/';
      return (stem) => `${folder}${joiner}${stem}`;
    }
    return stripMediaExtension(named);
  }

  /** Each part of the path that carries a secret becomes a hash of itself. */
  private secretFree(file: string): string {
    if (this.isClean(file)) return file;
    return file
      .split('/')
      .map((part) => (this.isClean(part) ? part : `redacted-${fnv1a64(part)}`))
      .join('/');
  }

  /** No control or Windows-reserved characters in any part, and no hidden final name (resources would never list it). */
  private checkPortable(file: string): void {
    const windows = this.options.windowsPaths === true;
    const segments = file
      .split(windows ? /[\\/]/ : '/')
      .filter((segment, index) => segment !== '' && !(windows && index === 0 && /^[A-Za-z]:$/.test(segment)));
    checkPortableSegments(file, segments);
  }

  private isClean(text: string): boolean {
    return redactSecrets(text, this.secrets) === text;
  }
}

function* numbered(stem: string, extension: string): Generator<string> {
  yield stem + extension;
  for (let n = 2; n <= MAX_FREE_NAME_TRIES; n += 1) yield `${stem}-${n}${extension}`;
}
