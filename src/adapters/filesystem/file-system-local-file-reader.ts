import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DomainError } from '../../domain/errors';
import type { LocalFileReader } from '../../domain/ports';
import { resolveInsideRoots } from './containment';

/** Reads reference images from under MEDIA_GEN_DIRS, through the one containment check. */
export class FileSystemLocalFileReader implements LocalFileReader {
  constructor(private readonly roots: readonly string[]) {}

  async read(requested: string, maxBytes: number): Promise<Uint8Array> {
    const contained = await resolveInsideRoots(this.roots, requested, 'input_reference');
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    const handle = await open(contained.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT')
          throw new DomainError('not_found', `input_reference: no file "${requested}".`, { field: 'input_reference' });
        throw new DomainError('invalid_input', `input_reference: "${requested}" cannot be opened (${error.code ?? 'error'}).`, {
          field: 'input_reference',
        });
      },
    );
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new DomainError('invalid_input', `input_reference: "${requested}" is not a regular file.`, { field: 'input_reference' });
      }
      // A hard link's other name can be anywhere, outside the roots too: nothing says which.
      if (stat.nlink > 1) {
        throw new DomainError(
          'path_outside_roots',
          `input_reference: "${requested}" is a hard link, which may be a file from outside the allowed folders. Copy the image instead of linking it.`,
          { field: 'input_reference' },
        );
      }
      if (stat.size > maxBytes) {
        throw new DomainError(
          'invalid_reference_image',
          `input_reference: "${requested}" is ${stat.size} bytes; the limit is ${maxBytes}. Use a smaller image.`,
          { field: 'input_reference' },
        );
      }
      // Unsafe is fine: only the bytes actually read are returned, and skipping the zero-fill halves the cost.
      const buffer = Buffer.allocUnsafe(stat.size);
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, offset);
    } finally {
      await handle.close();
    }
  }
}
