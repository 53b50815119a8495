import { concatBytes, latin1, u16, u32 } from './bytes';
import type { StillStream } from './h264';
import { box, fullBox } from './mp4';

/**
 * Muxes an H.264 stream into an MP4 (ISO BMFF) with `moov` before `mdat`, so players can start
 * at once. One video track, one chunk, length-prefixed NAL units, SPS and PPS in `avcC`.
 */
export function muxMp4(stream: StillStream, width: number, height: number, fps: number): Uint8Array {
  const frameCount = stream.frames.length;
  const samples = stream.frames.map((frame) => concatBytes([u32(frame.length), frame]));
  const durationMs = Math.round((frameCount * 1000) / fps);
  const ftyp = box('ftyp', latin1('isom'), u32(512), latin1('isomiso2avc1mp41'));
  const build = (chunkOffset: number): Uint8Array =>
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
        new Uint8Array(10),
        matrix(),
        new Uint8Array(24),
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
          new Uint8Array(8),
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
          fullBox('hdlr', 0, 0, u32(0), latin1('vide'), new Uint8Array(12), latin1('sora2-mcp simulator\0')),
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
  return concatBytes([ftyp, moov, mdat]);
}

function avc1(stream: StillStream, width: number, height: number): Uint8Array {
  const compressor = new Uint8Array(32);
  compressor.set(latin1('\u0013sora2-mcp simulator'));
  const avcC = box(
    'avcC',
    Uint8Array.of(1, stream.sps[1]!, stream.sps[2]!, stream.sps[3]!, 0xff, 0xe1),
    u16(stream.sps.length),
    stream.sps,
    Uint8Array.of(1),
    u16(stream.pps.length),
    stream.pps,
  );
  return box(
    'avc1',
    new Uint8Array(6),
    u16(1), // data_reference_index
    new Uint8Array(16),
    u16(width),
    u16(height),
    u32(0x00480000),
    u32(0x00480000),
    u32(0),
    u16(1), // frame_count
    compressor,
    u16(0x0018),
    Uint8Array.of(0xff, 0xff),
    avcC,
  );
}

function matrix(): Uint8Array {
  return concatBytes([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));
}
