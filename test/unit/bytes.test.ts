import { formatBytes } from '../../src/domain/bytes';

/** Sizes as people read them: whole bytes below 1 KiB, one decimal of KiB below 1 MiB, MiB from there; both sides of each step. */
describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [812, '812 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [48_640, '47.5 KiB'],
    // Just below 1 MiB is still KiB (rounded up in its decimal), not MiB.
    [1024 * 1024 - 1, '1024.0 KiB'],
    [1024 * 1024, '1.0 MiB'],
    [2_726_298, '2.6 MiB'],
    [3 * 1024 * 1024 * 1024, '3072.0 MiB'],
  ])('shows %d bytes as %s', (bytes, shown) => {
    expect(formatBytes(bytes)).toBe(shown);
  });
});
