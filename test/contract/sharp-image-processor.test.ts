import { SharpImageProcessor } from '../../src/adapters/sharp/sharp-image-processor';
import { said, saying } from '../support/refusals';
import { dimensions, HEIF, HTML, PDF, pixel, pngBomb, rotatedJpeg, solid, SVG } from '../support/images';

describe('SharpImageProcessor with real images', () => {
  const images = new SharpImageProcessor({ limitInputPixels: 50_000_000 });

  it.each(['png', 'jpeg', 'webp'] as const)('identifies %s from its bytes', async (format) => {
    const info = await images.inspect(await solid(64, 48, format));
    expect(info).toEqual({ mimeType: `image/${format}`, width: 64, height: 48, needsOrientation: false });
  });

  it.each([
    // Named by the one sniffer (src/codecs/sniff.ts), as the download verifier names them.
    ['SVG', SVG, /the data is SVG\/XML text; only JPEG, PNG and WebP/],
    ['PDF', PDF, /the data is a PDF document/],
    ['HTML served as an image', HTML, /the data is HTML text/],
    ['HEIF', HEIF, /the data is a HEIF\/AVIF image/],
  ])('refuses %s', async (_name, bytes, reason) => {
    expect(await said(images.inspect(bytes))).toMatch(new RegExp(`${reason.source}.*\\(code: invalid_reference_image\\)$`));
  });

  it.each(['gif', 'tiff', 'avif'] as const)('refuses %s, a real image of another format', async (format) => {
    expect(await said(images.inspect(await solid(16, 16, format)))).toMatch(saying('invalid_reference_image', 'only JPEG, PNG and WebP'));
  });

  it('refuses a tiny PNG that declares 20000×20000 pixels from its header', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(2000);
    expect(await said(images.inspect(bomb))).toContain('20000x20000');
  });

  it('refuses a truncated PNG', async () => {
    const png = await solid(300, 200, 'png');
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    await expect(images.inspect(truncated).then(() => images.verifyDecodable(truncated))).rejects.toMatchObject({
      code: 'invalid_reference_image',
    });
    await expect(images.fit(truncated, { width: 100, height: 100 }, 'cover', 'blur')).rejects.toMatchObject({
      code: 'invalid_reference_image',
    });
  });

  it('reports upright dimensions for an EXIF-rotated JPEG and fits it upright', async () => {
    const jpeg = await rotatedJpeg(200, 100);
    expect(await images.inspect(jpeg)).toMatchObject({ width: 100, height: 200, needsOrientation: true });
    const fitted = await images.fit(jpeg, { width: 100, height: 200 }, 'stretch', 'blur');
    expect(await dimensions(fitted.bytes)).toMatchObject({ width: 100, height: 200 });
    // Orientation 6 turns the red left half into the top half.
    expect((await pixel(fitted.bytes, 50, 20))[0]).toBeGreaterThan(200);
    expect((await pixel(fitted.bytes, 50, 180))[2]).toBeGreaterThan(200);
  });

  it.each([
    ['cover', 'blur'],
    ['contain', 'blur'],
    ['contain', 'black'],
    ['contain', 'white'],
    ['contain', '#ff8800'],
    ['stretch', 'blur'],
  ] as const)('fits 4000×3000 to exactly 1280×720 with %s (%s)', async (mode, background) => {
    const source = await solid(4000, 3000, 'jpeg');
    const fitted = await images.fit(source, { width: 1280, height: 720 }, mode, background);
    expect(fitted).toMatchObject({ mimeType: 'image/png', width: 1280, height: 720 });
    expect(await dimensions(fitted.bytes)).toEqual({ width: 1280, height: 720, format: 'png' });
  });

  it('pads contain with the requested colour', async () => {
    const fitted = await images.fit(await solid(400, 400, 'png'), { width: 1280, height: 720 }, 'contain', '#ff8800');
    expect(await pixel(fitted.bytes, 5, 360)).toEqual([255, 136, 0]);
    const white = await images.fit(await solid(400, 400, 'png'), { width: 1280, height: 720 }, 'contain', 'white');
    expect(await pixel(white.bytes, 5, 360)).toEqual([255, 255, 255]);
  });
});
