import { fileStemForId, fnv1a64 } from '../domain/file-names';
import { redactSecrets } from '../domain/redaction';

/**
 * The names files are saved under pass the same redaction as every message that leaves: a name
 * that carries a secret (a provider's id with the key in it, say) would put the secret on disk or in
 * a team's bucket, and the client would get a redacted link that points to nothing. Such a name is
 * replaced by a hash of itself, so the link always points at the file it names.
 */
export class OutputNames {
  constructor(private readonly secrets: readonly string[]) {}

  /** The stem for a job's files when the caller names none: from its id, or a hash of the id when it carries a secret. */
  stemFor(id: string): string {
    const stem = fileStemForId(id);
    return this.isClean(stem) ? stem : `video-${fnv1a64(id)}`;
  }

  /** The caller's file as it will be used: each part of its path that carries a secret becomes a hash of itself. */
  callerFile(file: string | undefined): string | undefined {
    if (file === undefined || this.isClean(file)) return file;
    return file
      .split('/')
      .map((part) => (this.isClean(part) ? part : `redacted-${fnv1a64(part)}`))
      .join('/');
  }

  private isClean(text: string): boolean {
    return redactSecrets(text, this.secrets) === text;
  }
}
