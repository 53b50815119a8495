import { codedSize, type FramePainter } from '../../../codecs/h264';

/**
 * What moves in a simulated video, so a person can see it play (and a test can see time pass): a
 * timecode in the top-right corner and a marker sweeping along the bottom from the first frame to
 * the last. Both are macroblock-aligned and drawn straight into the YUV planes, so each frame
 * changes a few dozen macroblocks and the clip stays small. Elements that do not fit a small frame
 * are left out.
 */
/** The macroblock row the marker sweeps along, when the frame is large enough for one: the card keeps its text above it. */
export function markerRow(display: { width: number; height: number }): number | undefined {
  const mbWidth = Math.floor(display.width / 16);
  const mbHeight = Math.floor(display.height / 16);
  return mbHeight >= 6 && mbWidth >= 6 ? mbHeight - 3 : undefined;
}

export function motionPainter(display: { width: number; height: number }, frameCount: number, fps: number): FramePainter {
  // The planes are at the coded size; the moving parts keep to macroblocks wholly inside the picture.
  const { width, height } = codedSize(display.width, display.height);
  const mbWidth = Math.floor(display.width / 16);
  const mbHeight = Math.floor(display.height / 16);
  const stride = width / 16;
  const base = { ready: false, yuv: new Uint8Array(0) };
  const row = markerRow(display);
  const sweep = row === undefined ? undefined : { row, width: 2 };
  const clock = mbWidth >= 10 && mbHeight >= 5 ? { col: mbWidth - 9, row: 1, cols: 8, rows: 2 } : undefined;
  let sweepAt = -1;
  let shown = '';
  return (index, yuv) => {
    if (!base.ready) {
      base.yuv = yuv.slice(); // the picture without moving parts, to restore what the marker leaves
      base.ready = true;
    }
    const changed: number[] = [];
    const planes = new Planes(yuv, width, height);
    if (sweep) {
      const at = Math.round((index / Math.max(1, frameCount - 1)) * (mbWidth - sweep.width));
      if (at !== sweepAt) {
        if (sweepAt >= 0) {
          for (let col = sweepAt; col < sweepAt + sweep.width; col += 1) {
            planes.copyMacroblock(base.yuv, col, sweep.row);
            changed.push(sweep.row * stride + col);
          }
        }
        for (let col = at; col < at + sweep.width; col += 1) {
          planes.fillMacroblock(col, sweep.row, AMBER);
          changed.push(sweep.row * stride + col);
        }
        sweepAt = at;
      }
    }
    if (clock) {
      const text = `${(index / fps).toFixed(2)}s`;
      if (text !== shown) {
        for (let row = clock.row; row < clock.row + clock.rows; row += 1) {
          for (let col = clock.col; col < clock.col + clock.cols; col += 1) {
            planes.fillMacroblock(col, row, INK);
            changed.push(row * stride + col);
          }
        }
        planes.text(text, clock.col * 16 + 6, clock.row * 16 + 5, 3);
        shown = text;
      }
    }
    return changed;
  };
}

interface Yuv {
  y: number;
  u: number;
  v: number;
}

function yuvOf(r: number, g: number, b: number): Yuv {
  return {
    y: Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256),
    u: Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256),
    v: Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256),
  };
}

const AMBER = yuvOf(245, 158, 11);
const INK = yuvOf(12, 12, 16);
const WHITE_LUMA = 235;

/** 5×7 glyphs for the timecode. */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  s: ['00000', '00000', '01111', '10000', '01110', '00001', '11110'],
};

class Planes {
  private readonly lumaSize: number;
  constructor(
    private readonly yuv: Uint8Array,
    private readonly width: number,
    height: number,
  ) {
    this.lumaSize = width * height;
  }

  fillMacroblock(col: number, row: number, color: Yuv): void {
    for (let y = 0; y < 16; y += 1)
      this.yuv.fill(color.y, (row * 16 + y) * this.width + col * 16, (row * 16 + y) * this.width + col * 16 + 16);
    const chromaWidth = this.width / 2;
    for (const [plane, value] of [
      [this.lumaSize, color.u],
      [this.lumaSize * 1.25, color.v],
    ] as const) {
      for (let y = 0; y < 8; y += 1) {
        const start = plane + (row * 8 + y) * chromaWidth + col * 8;
        this.yuv.fill(value, start, start + 8);
      }
    }
  }

  copyMacroblock(from: Uint8Array, col: number, row: number): void {
    for (let y = 0; y < 16; y += 1) {
      const start = (row * 16 + y) * this.width + col * 16;
      this.yuv.set(from.subarray(start, start + 16), start);
    }
    const chromaWidth = this.width / 2;
    for (const plane of [this.lumaSize, this.lumaSize * 1.25]) {
      for (let y = 0; y < 8; y += 1) {
        const start = plane + (row * 8 + y) * chromaWidth + col * 8;
        this.yuv.set(from.subarray(start, start + 8), start);
      }
    }
  }

  /** White text on the luma plane (the box under it is neutral, so chroma needs no change). */
  text(text: string, left: number, top: number, scale: number): void {
    let x = left;
    for (const char of text) {
      const glyph = GLYPHS[char];
      if (glyph) {
        for (let gy = 0; gy < 7; gy += 1) {
          for (let gx = 0; gx < 5; gx += 1) {
            if (glyph[gy]![gx] !== '1') continue;
            for (let dy = 0; dy < scale; dy += 1) {
              const start = (top + gy * scale + dy) * this.width + x + gx * scale;
              this.yuv.fill(WHITE_LUMA, start, start + scale);
            }
          }
        }
      }
      x += 6 * scale;
    }
  }
}
