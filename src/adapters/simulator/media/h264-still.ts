import { BitWriter } from './bit-writer';

/**
 * A tiny, honest H.264 encoder for simulator videos: one IDR frame whose macroblocks are all I_PCM
 * (the picture stored uncompressed, so it is exact and needs no transform coding), followed by P
 * frames in which every macroblock is skipped except the few that changed, which are I_PCM again
 * (a moving timecode and sweep cost a few KiB a frame). Constrained Baseline profile, decodable by
 * any H.264 decoder.
 */

/**
 * Paints frame `index` into `yuv` (4:2:0 planar, changed in place) and returns the addresses of the
 * macroblocks it changed, in any order. Frame 0 is painted before the IDR frame is written.
 */
export type FramePainter = (index: number, yuv: Buffer) => readonly number[];

export interface StillStream {
  sps: Buffer;
  pps: Buffer;
  /** One NAL unit (without start code or length prefix) per frame; the first is the IDR frame. */
  frames: Buffer[];
}

const LOG2_MAX_FRAME_NUM = 16;
const PROFILE_BASELINE = 66;
const CONSTRAINED_BASELINE_FLAGS = 0b1100_0000;
const LEVEL_4_2 = 42;

/** Builds the stream from a YUV 4:2:0 planar frame (`width`×`height`, both multiples of 16). */
export function encodeStill(yuv: Buffer, width: number, height: number, frameCount: number, paint?: FramePainter): StillStream {
  if (width % 16 !== 0 || height % 16 !== 0) throw new Error('width and height must be multiples of 16');
  const mbWidth = width / 16;
  const mbHeight = height / 16;
  const sps = nal(
    3,
    7,
    new BitWriter()
      .u(8, PROFILE_BASELINE)
      .u(8, CONSTRAINED_BASELINE_FLAGS)
      .u(8, LEVEL_4_2)
      .ue(0) // seq_parameter_set_id
      .ue(LOG2_MAX_FRAME_NUM - 4)
      .ue(2) // pic_order_cnt_type 2: output order = decoding order
      .ue(1) // max_num_ref_frames
      .u(1, 0) // gaps_in_frame_num_value_allowed_flag
      .ue(mbWidth - 1)
      .ue(mbHeight - 1)
      .u(1, 1) // frame_mbs_only_flag
      .u(1, 1) // direct_8x8_inference_flag
      .u(1, 0) // frame_cropping_flag
      .u(1, 0) // vui_parameters_present_flag
      .trailing()
      .toBuffer(),
  );
  const pps = nal(
    3,
    8,
    new BitWriter()
      .ue(0)
      .ue(0) // pic and seq parameter set ids
      .u(1, 0) // entropy_coding_mode_flag: CAVLC
      .u(1, 0) // bottom_field_pic_order_in_frame_present_flag
      .ue(0) // num_slice_groups_minus1
      .ue(0)
      .ue(0) // num_ref_idx_l0/l1_default_active_minus1
      .u(1, 0)
      .u(2, 0) // weighted prediction off
      .se(0)
      .se(0)
      .se(0) // pic_init_qp/qs_minus26, chroma_qp_index_offset
      .u(1, 1) // deblocking_filter_control_present_flag
      .u(1, 0) // constrained_intra_pred_flag
      .u(1, 0) // redundant_pic_cnt_present_flag
      .trailing()
      .toBuffer(),
  );
  paint?.(0, yuv);
  const frames = [idrFrame(yuv, width, height)];
  for (let n = 1; n < frameCount; n += 1) {
    const changed = [...new Set(paint?.(n, yuv) ?? [])].sort((a, b) => a - b);
    frames.push(nal(2, 1, predictedFrameRbsp(yuv, width, height, n % 2 ** LOG2_MAX_FRAME_NUM, changed)));
  }
  return { sps, pps, frames };
}

function idrFrame(yuv: Buffer, width: number, height: number): Buffer {
  const header = new BitWriter()
    .ue(0) // first_mb_in_slice
    .ue(7) // slice_type: I (all slices of the picture)
    .ue(0) // pic_parameter_set_id
    .u(LOG2_MAX_FRAME_NUM, 0) // frame_num
    .ue(0) // idr_pic_id
    .u(1, 0)
    .u(1, 0) // no_output_of_prior_pics_flag, long_term_reference_flag
    .se(0) // slice_qp_delta
    .ue(1); // disable_deblocking_filter_idc: PCM samples stay exact
  const mbWidth = width / 16;
  const mbCount = mbWidth * (height / 16);
  // The first macroblock's mb_type follows the unaligned header; later ones start byte-aligned,
  // where ue(25) + pcm_alignment_zero_bits is always the two bytes 0x0D 0x00.
  header.ue(25).alignZero();
  const body = Buffer.alloc(mbCount * 386 - 2 + 1);
  let offset = 0;
  for (let mb = 0; mb < mbCount; mb += 1) {
    if (mb > 0) {
      body[offset++] = 0x0d;
      body[offset++] = 0x00;
    }
    offset = writePcm(yuv, width, height, mb, body, offset);
  }
  body[offset] = 0x80; // rbsp_slice_trailing_bits
  return nal(3, 5, Buffer.concat([header.toBuffer(), body]));
}

/** The 384 samples of one macroblock (16×16 luma, then 8×8 Cb and Cr), as I_PCM stores them. */
function writePcm(yuv: Buffer, width: number, height: number, mb: number, out: Buffer, at: number): number {
  const mbWidth = width / 16;
  const chromaWidth = width / 2;
  const lumaSize = width * height;
  const mbX = mb % mbWidth;
  const mbY = Math.floor(mb / mbWidth);
  let offset = at;
  for (let row = 0; row < 16; row += 1) {
    const start = (mbY * 16 + row) * width + mbX * 16;
    for (let col = 0; col < 16; col += 1) out[offset++] = pcmSample(yuv[start + col]!);
  }
  for (const plane of [lumaSize, lumaSize * 1.25]) {
    for (let row = 0; row < 8; row += 1) {
      const start = plane + (mbY * 8 + row) * chromaWidth + mbX * 8;
      for (let col = 0; col < 8; col += 1) out[offset++] = pcmSample(yuv[start + col]!);
    }
  }
  return offset;
}

/**
 * A P frame: runs of skipped macroblocks (copied from the previous frame) around the changed ones,
 * each coded as I_PCM (mb_type 30 in a P slice: the intra offset 5 plus I_PCM's 25).
 */
function predictedFrameRbsp(yuv: Buffer, width: number, height: number, frameNum: number, changed: readonly number[]): Buffer {
  const mbCount = (width / 16) * (height / 16);
  const writer = new BitWriter()
    .ue(0) // first_mb_in_slice
    .ue(5) // slice_type: P
    .ue(0) // pic_parameter_set_id
    .u(LOG2_MAX_FRAME_NUM, frameNum)
    .u(1, 0) // num_ref_idx_active_override_flag
    .u(1, 0) // ref_pic_list_modification_flag_l0
    .u(1, 0) // adaptive_ref_pic_marking_mode_flag
    .se(0) // slice_qp_delta
    .ue(1); // disable_deblocking_filter_idc: PCM samples stay exact
  let next = 0;
  for (const mb of changed) {
    writer
      .ue(mb - next)
      .ue(30)
      .alignZero(); // mb_skip_run, mb_type I_PCM, pcm_alignment_zero_bits
    const pcm = Buffer.alloc(384); // the writer keeps the buffer: one per macroblock
    writePcm(yuv, width, height, mb, pcm, 0);
    writer.bytes(pcm);
    next = mb + 1;
  }
  if (next < mbCount) writer.ue(mbCount - next); // the rest copies the reference
  return writer.trailing().toBuffer();
}

/** PCM samples avoid 0 so no start-code prefix can appear inside them. */
function pcmSample(value: number): number {
  return value === 0 ? 1 : value;
}

/** Wraps an RBSP as a NAL unit: header byte, then the payload with emulation-prevention bytes. */
function nal(refIdc: number, type: number, rbsp: Buffer): Buffer {
  const out = Buffer.alloc(1 + rbsp.length + Math.ceil(rbsp.length / 2));
  out[0] = (refIdc << 5) | type;
  let length = 1;
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out[length++] = 3;
      zeros = 0;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

/** BT.601 limited-range YUV 4:2:0 planar from packed RGB. */
export function rgbToYuv420(rgb: Buffer, width: number, height: number): Buffer {
  const lumaSize = width * height;
  const out = Buffer.alloc(lumaSize * 1.5);
  for (let i = 0; i < lumaSize; i += 1) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    out[i] = Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256);
  }
  const chromaWidth = width / 2;
  for (let y = 0; y < height / 2; y += 1) {
    for (let x = 0; x < chromaWidth; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const p = ((y * 2 + dy) * width + x * 2 + dx) * 3;
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[lumaSize + y * chromaWidth + x] = Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
      out[lumaSize * 1.25 + y * chromaWidth + x] = Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256);
    }
  }
  return out;
}
