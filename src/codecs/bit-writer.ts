import { concatBytes } from './bytes';

/** Writes an H.264 RBSP bit by bit (big-endian), with Exp-Golomb codes. */
export class BitWriter {
  private readonly chunks: Uint8Array[] = [];
  private buffer = new Uint8Array(1024);
  private length = 0;
  private current = 0;
  private bits = 0;

  u(count: number, value: number): this {
    for (let i = count - 1; i >= 0; i -= 1) this.bit(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  /** Unsigned Exp-Golomb. */
  ue(value: number): this {
    const x = value + 1;
    const size = Math.floor(Math.log2(x));
    return this.u(size, 0).u(size + 1, x);
  }

  /** Signed Exp-Golomb. */
  se(value: number): this {
    return this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }

  alignZero(): this {
    while (this.bits !== 0) this.bit(0);
    return this;
  }

  /** rbsp_trailing_bits: a stop bit, then zeros to the byte boundary. */
  trailing(): this {
    return this.bit(1).alignZero();
  }

  /** Appends whole bytes; the writer must be byte-aligned. */
  bytes(data: Uint8Array): this {
    if (this.bits !== 0) throw new Error('BitWriter.bytes needs byte alignment');
    this.flush();
    this.chunks.push(data);
    return this;
  }

  toBytes(): Uint8Array {
    if (this.bits !== 0) throw new Error('BitWriter is not byte-aligned');
    this.flush();
    return concatBytes(this.chunks);
  }

  private bit(value: number): this {
    this.current = (this.current << 1) | value;
    this.bits += 1;
    if (this.bits === 8) {
      if (this.length === this.buffer.length) this.flush();
      this.buffer[this.length] = this.current;
      this.length += 1;
      this.current = 0;
      this.bits = 0;
    }
    return this;
  }

  private flush(): void {
    if (this.length > 0) {
      this.chunks.push(this.buffer.slice(0, this.length));
      this.length = 0;
    }
  }
}
