import type { Sharp, SharpOptions } from 'sharp';
import { encodeStill, rgbToYuv420 } from '../../../codecs/h264';
import { muxMp4 } from '../../../codecs/mp4-mux';
import { markerRow, motionPainter } from './motion';
import { shortHash } from '../../../domain/short-hash';

type SharpFactory = (input?: Buffer | SharpOptions, options?: SharpOptions) => Sharp;

export interface CardDetails {
  id: string;
  prompt: string;
  model: string;
  size: string;
  seconds: string;
  remixedFrom: string | null;
  /** The fitted reference image the job was created with (exactly the video's size), shown behind a label. */
  reference?: Buffer;
}

export const SIMULATOR_FPS = 24;
const SPRITE_COLUMNS = 4;
const SPRITE_TILE_WIDTH = 256;
const STAMP_WIDTH = 48;

/**
 * Real media for simulated jobs: a title card that shows the prompt (so a person can tell videos
 * apart and can never mistake them for generated footage), or the fitted reference image under a
 * label (so a person can see what cover, contain or stretch did), as a playable MP4 with a running
 * timecode and a sweeping marker, a WebP thumbnail and a JPEG spritesheet. sharp is loaded on first use.
 */
export class SimulatorMediaRenderer {
  private factory: SharpFactory | undefined;

  async video(card: CardDetails): Promise<Buffer> {
    const { width, height } = dimensions(card.size);
    const { data } = await this.picture(card, width, height).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const frames = Number(card.seconds) * SIMULATOR_FPS;
    const stream = encodeStill(
      rgbToYuv420(data, width, height),
      { width, height },
      frames,
      motionPainter({ width, height }, frames, SIMULATOR_FPS),
    );
    const mp4 = muxMp4(stream, width, height, SIMULATOR_FPS);
    return Buffer.from(mp4.buffer, mp4.byteOffset, mp4.length);
  }

  async thumbnail(card: CardDetails): Promise<Buffer> {
    const { width, height } = dimensions(card.size);
    return this.picture(card, width, height).webp({ quality: 80 }).toBuffer();
  }

  /** One tile per second of video, four to a row, each stamped with its time. */
  async spritesheet(card: CardDetails): Promise<Buffer> {
    const { width, height } = dimensions(card.size);
    const tileHeight = Math.round((SPRITE_TILE_WIDTH * height) / width);
    const tiles = Number(card.seconds);
    const rows = Math.ceil(tiles / SPRITE_COLUMNS);
    const tile = await this.sharp(await this.picture(card, width, height).png().toBuffer())
      .resize(SPRITE_TILE_WIDTH, tileHeight)
      .png()
      .toBuffer();
    const composites = [];
    for (let i = 0; i < tiles; i += 1) {
      const left = (i % SPRITE_COLUMNS) * SPRITE_TILE_WIDTH;
      const top = Math.floor(i / SPRITE_COLUMNS) * tileHeight;
      composites.push({ input: tile, left, top });
      const stamp = `<svg xmlns="http://www.w3.org/2000/svg" width="${STAMP_WIDTH}" height="24"><rect width="${STAMP_WIDTH}" height="24" fill="black" fill-opacity="0.6"/><text x="6" y="17" font-family="DejaVu Sans, sans-serif" font-size="14" fill="white">0:${String(i).padStart(2, '0')}</text></svg>`;
      // Top right, where the video's own timecode runs: the card's "SIMULATED" label at the top left stays in sight.
      composites.push({ input: Buffer.from(stamp), left: left + SPRITE_TILE_WIDTH - STAMP_WIDTH, top });
    }
    return this.sharp({
      create: { width: SPRITE_COLUMNS * SPRITE_TILE_WIDTH, height: rows * tileHeight, channels: 3, background: '#000000' },
    })
      .composite(composites)
      .jpeg({ quality: 80 })
      .toBuffer();
  }

  /** The still picture: the title card, or the reference image with the label over it. */
  private picture(card: CardDetails, width: number, height: number): Sharp {
    if (!card.reference) return this.sharp(this.cardSvg(card, width, height));
    return this.sharp(card.reference).composite([{ input: this.cardSvg(card, width, height, true), left: 0, top: 0 }]);
  }

  private cardSvg(card: CardDetails, width: number, height: number, overReference = false): Buffer {
    const hue = Number.parseInt(shortHash(card.prompt).slice(0, 2), 16) * (360 / 256);
    const scale = Math.min(width, height) / 720;
    const font = Math.round(40 * scale);
    const charsPerLine = Math.max(12, Math.floor((width * 0.84) / (font * 0.55)));
    // Over a reference image the text keeps to the top band, so the picture stays visible.
    const textTop = overReference ? 0.2 : 0.3;
    const lines = wrap(card.prompt, charsPerLine).slice(
      0,
      Math.max(1, Math.floor((height * (overReference ? 0.14 : 0.45)) / (font * 1.3))),
    );
    const text = lines
      .map((line, i) => `<tspan x="${Math.round(width * 0.08)}" dy="${i === 0 ? 0 : Math.round(font * 1.3)}">${escapeXml(line)}</tspan>`)
      .join('');
    const small = Math.round(26 * scale);
    // The details and the id sit just above the row the marker sweeps, never under it.
    const row = markerRow({ width, height });
    const floor = row === undefined ? height * 0.97 : row * 16 - small * 0.5;
    const idBaseline = Math.round(floor - small * 0.25);
    const metaBaseline = Math.round(idBaseline - small * 1.3);
    const meta = [card.model, card.size, `${card.seconds}s`, card.remixedFrom ? `remix of ${card.remixedFrom}` : '']
      .filter(Boolean)
      .join(' · ');
    return Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue.toFixed(0)},55%,28%)"/><stop offset="1" stop-color="hsl(${((hue + 60) % 360).toFixed(0)},60%,12%)"/>
  </linearGradient></defs>
  ${
    overReference
      ? `<rect width="100%" height="${Math.round(height * 0.36)}" fill="black" fill-opacity="0.55"/><rect y="${Math.round(metaBaseline - small * 1.4)}" width="100%" height="${Math.round(height - metaBaseline + small * 1.4)}" fill="black" fill-opacity="0.55"/>`
      : '<rect width="100%" height="100%" fill="url(#g)"/>'
  }
  <g font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="white">
    <text x="${Math.round(width * 0.08)}" y="${Math.round(height * 0.12)}" font-size="${small}" font-weight="bold" fill-opacity="0.8">SIMULATED · sora2-mcp</text>
    <text x="${Math.round(width * 0.08)}" y="${Math.round(height * textTop)}" font-size="${font}">${text}</text>
    <text x="${Math.round(width * 0.08)}" y="${metaBaseline}" font-size="${small}" fill-opacity="0.8">${escapeXml(meta)}</text>
    <text x="${Math.round(width * 0.08)}" y="${idBaseline}" font-size="${Math.round(small * 0.8)}" fill-opacity="0.6">${escapeXml(card.id)}</text>
  </g>
</svg>`,
    );
  }

  private sharp(input: Buffer | SharpOptions): Sharp {
    this.factory ??= require('sharp') as SharpFactory;
    return this.factory(input);
  }
}

function dimensions(size: string): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number) as [number, number];
  return { width, height };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const pieces = word.length > width ? word.match(new RegExp(`.{1,${width}}`, 'g'))! : [word];
    for (const piece of pieces) {
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line);
        line = piece;
      } else {
        line = line ? `${line} ${piece}` : piece;
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
