import type { StillStream } from './h264-still';

/**
 * Muxes an H.264 stream into an MP4 (ISO BMFF) with `moov` before `mdat`, so players can start
 * at once. One video track, one chunk, length-prefixed NAL units, SPS and PPS in `avcC`.
 */
export function muxMp4(stream: StillStream, width: number, height: number, fps: number): Buffer {
  const frameCount = stream.frames.length;
  const samples = stream.frames.map((frame) => Buffer.concat([u32(frame.length), frame]));
  const durationMs = Math.round((frameCount * 1000) / fps);
  const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2avc1mp41'));
  const build = (chunkOffset: number): Buffer =>
    box(
      'moov',
      fullBox(
        'mvhd',
        0,
        0,
        u32(0),
        u32(0),
        u32(1000),
        u32(durationMs),
        u32(0x00010000),
        u16(0x0100),
        Buffer.alloc(10),
        matrix(),
        Buffer.alloc(24),
        u32(2),
      ),
      box(
        'trak',
        fullBox(
          'tkhd',
          0,
          3,
          u32(0),
          u32(0),
          u32(1),
          u32(0),
          u32(durationMs),
          Buffer.alloc(8),
          u16(0),
          u16(0),
          u16(0),
          u16(0),
          matrix(),
          u32(width * 65536),
          u32(height * 65536),
        ),
        box(
          'mdia',
          fullBox('mdhd', 0, 0, u32(0), u32(0), u32(fps), u32(frameCount), u16(0x55c4), u16(0)),
          fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide'), Buffer.alloc(12), Buffer.from('sora2-mcp simulator\0')),
          box(
            'minf',
            fullBox('vmhd', 0, 1, u16(0), u16(0), u16(0), u16(0)),
            box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1))),
            box(
              'stbl',
              fullBox('stsd', 0, 0, u32(1), avc1(stream, width, height)),
              fullBox('stts', 0, 0, u32(1), u32(frameCount), u32(1)),
              fullBox('stss', 0, 0, u32(1), u32(1)),
              fullBox('stsc', 0, 0, u32(1), u32(1), u32(frameCount), u32(1)),
              fullBox('stsz', 0, 0, u32(0), u32(frameCount), ...samples.map((sample) => u32(sample.length))),
              fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
            ),
          ),
        ),
      ),
    );
  // The chunk offset does not change the size of `moov`, so measure it once with a placeholder.
  const moovSize = build(0).length;
  const moov = build(ftyp.length + moovSize + 8);
  const mdat = box('mdat', ...samples);
  return Buffer.concat([ftyp, moov, mdat]);
}

function avc1(stream: StillStream, width: number, height: number): Buffer {
  const compressor = Buffer.alloc(32);
  compressor.write('\u0013sora2-mcp simulator', 'latin1');
  const avcC = box(
    'avcC',
    Buffer.from([1, stream.sps[1]!, stream.sps[2]!, stream.sps[3]!, 0xff, 0xe1]),
    u16(stream.sps.length),
    stream.sps,
    Buffer.from([1]),
    u16(stream.pps.length),
    stream.pps,
  );
  return box(
    'avc1',
    Buffer.alloc(6),
    u16(1), // data_reference_index
    Buffer.alloc(16),
    u16(width),
    u16(height),
    u32(0x00480000),
    u32(0x00480000),
    u32(0),
    u16(1), // frame_count
    compressor,
    u16(0x0018),
    Buffer.from([0xff, 0xff]),
    avcC,
  );
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  return box(type, Buffer.from([version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255]), ...payload);
}

function matrix(): Buffer {
  return Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value & 0xffff);
  return out;
}
