import { imageRefused } from '../../domain/errors';
import type { LocalFileReader } from '../../domain/ports';
import { openInsideRoots } from './containment';

/** Reads reference images from under MEDIA_GEN_DIRS, through the one containment check. */
export class FileSystemLocalFileReader implements LocalFileReader {
  constructor(private readonly roots: readonly string[]) {}

  async read(requested: string, maxBytes: number): Promise<Uint8Array> {
    const handle = await openInsideRoots(this.roots, requested, 'input_reference');
    try {
      const stat = await handle.stat();
      if (stat.size > maxBytes) {
        throw imageRefused('input_reference', { problem: 'too_large', most_bytes: maxBytes, size_bytes: stat.size, path: requested });
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
