import { BitWriter } from './bit-writer';
import { concatBytes } from './bytes';

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
export type FramePainter = (index: number, yuv: Uint8Array) => readonly number[];

export interface StillStream {
  sps: Uint8Array;
  pps: Uint8Array;
  /** One NAL unit (without start code or length prefix) per frame; the first is the IDR frame. */
  frames: Uint8Array[];
}

const LOG2_MAX_FRAME_NUM = 16;
const PROFILE_BASELINE = 66;
const CONSTRAINED_BASELINE_FLAGS = 0b1100_0000;
const LEVEL_4_2 = 42;

/**
 * The size the picture is coded at: whole macroblocks. A picture of another size (1920x1080) is coded
 * one macroblock larger (1920x1088) and the extra rows are cropped away in the SPS, as every encoder does.
 */
export function codedSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.ceil(width / 16) * 16, height: Math.ceil(height / 16) * 16 };
}

/**
 * Builds the stream of a `width`×`height` picture (both even, as 4:2:0 needs) from a YUV 4:2:0 planar
 * frame at its coded size (see `codedSize`; `rgbToYuv420` makes one).
 */
export function encodeStill(
  yuv: Uint8Array,
  display: { width: number; height: number },
  frameCount: number,
  paint?: FramePainter,
): StillStream {
  if (display.width % 2 !== 0 || display.height % 2 !== 0) throw new Error('width and height must be even');
  const { width, height } = codedSize(display.width, display.height);
  const mbWidth = width / 16;
  const mbHeight = height / 16;
  // frame_crop_*_offset count in 2-sample units for 4:2:0 frames (H.264 7.4.2.1.1, CropUnitX/Y).
  const cropRight = (width - display.width) / 2;
  const cropBottom = (height - display.height) / 2;
  const cropped = cropRight > 0 || cropBottom > 0;
  const sps = new BitWriter()
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
    .u(1, cropped ? 1 : 0); // frame_cropping_flag
  if (cropped) sps.ue(0).ue(cropRight).ue(0).ue(cropBottom); // left, right, top, bottom
  sps.u(1, 0); // vui_parameters_present_flag
  const spsNal = nal(3, 7, sps.trailing().toBytes());
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
      .toBytes(),
  );
  paint?.(0, yuv);
  const frames = [idrFrame(yuv, width, height)];
  for (let n = 1; n < frameCount; n += 1) {
    const changed = [...new Set(paint?.(n, yuv) ?? [])].sort((a, b) => a - b);
    frames.push(nal(2, 1, predictedFrameRbsp(yuv, width, height, n % 2 ** LOG2_MAX_FRAME_NUM, changed)));
  }
  return { sps: spsNal, pps, frames };
}

function idrFrame(yuv: Uint8Array, width: number, height: number): Uint8Array {
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
  const body = new Uint8Array(mbCount * 386 - 2 + 1);
  let offset = 0;
  for (let mb = 0; mb < mbCount; mb += 1) {
    if (mb > 0) {
      body[offset++] = 0x0d;
      body[offset++] = 0x00;
    }
    offset = writePcm(yuv, width, height, mb, body, offset);
  }
  body[offset] = 0x80; // rbsp_slice_trailing_bits
  return nal(3, 5, concatBytes([header.toBytes(), body]));
}

/** The 384 samples of one macroblock (16×16 luma, then 8×8 Cb and Cr), as I_PCM stores them. */
function writePcm(yuv: Uint8Array, width: number, height: number, mb: number, out: Uint8Array, at: number): number {
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
function predictedFrameRbsp(yuv: Uint8Array, width: number, height: number, frameNum: number, changed: readonly number[]): Uint8Array {
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
    const pcm = new Uint8Array(384); // the writer keeps the buffer: one per macroblock
    writePcm(yuv, width, height, mb, pcm, 0);
    writer.bytes(pcm);
    next = mb + 1;
  }
  if (next < mbCount) writer.ue(mbCount - next); // the rest copies the reference
  return writer.trailing().toBytes();
}

/** PCM samples avoid 0 so no start-code prefix can appear inside them. */
function pcmSample(value: number): number {
  return value === 0 ? 1 : value;
}

/** Wraps an RBSP as a NAL unit: header byte, then the payload with emulation-prevention bytes. */
function nal(refIdc: number, type: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rbsp.length + Math.ceil(rbsp.length / 2));
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

/**
 * BT.601 limited-range YUV 4:2:0 planar, at the coded size, from a `width`×`height` packed RGB picture
 * (even sides): the rows and columns past the picture repeat its last ones, and are cropped on decoding.
 */
export function rgbToYuv420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const coded = codedSize(width, height);
  const lumaSize = coded.width * coded.height;
  const out = new Uint8Array(lumaSize * 1.5);
  const at = (x: number, y: number) => (Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 3;
  for (let y = 0; y < coded.height; y += 1) {
    for (let x = 0; x < coded.width; x += 1) {
      const p = at(x, y);
      out[y * coded.width + x] = Math.round(16 + (65.738 * rgb[p]! + 129.057 * rgb[p + 1]! + 25.064 * rgb[p + 2]!) / 256);
    }
  }
  const chromaWidth = coded.width / 2;
  for (let y = 0; y < coded.height / 2; y += 1) {
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
        const p = at(x * 2 + dx, y * 2 + dy);
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
