import { fileStemForId, fnv1a64 } from '../../src/domain/file-names';

/** File stems for provider ids: plain ids as they are, others as their readable part and a hash of the whole id. */
describe('fnv1a64', () => {
  it.each([
    // The published FNV-1a 64 vectors.
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    // A hash with a leading zero keeps it: names are always 16 hex digits.
    ['Ab', '09084407b5a0b74a'],
    ['::', '081e0e07b4d9f795'],
  ])('hashes %j as %s', (text, hash) => {
    expect(fnv1a64(text)).toBe(hash);
  });
});

describe('fileStemForId', () => {
  it.each([
    ['video_68d7512d', 'video_68d7512d'],
    ['a-b_c', 'a-b_c'],
    ['x'.repeat(100), 'x'.repeat(100)],
  ])('uses the plain id %s as it is', (id, stem) => {
    expect(fileStemForId(id)).toBe(stem);
  });

  it.each([
    // A run of unsafe characters becomes one `_`.
    ['a::b', `a_b-${fnv1a64('a::b')}`],
    // Leading and trailing `_` or `-` (however many) go; the readable part is kept.
    ['::a', `a-${fnv1a64('::a')}`],
    ['a::', `a-${fnv1a64('a::')}`],
    ['-_A', `A-${fnv1a64('-_A')}`],
    ['A_-', `A-${fnv1a64('A_-')}`],
    ['Ab:', `Ab-${fnv1a64('Ab:')}`],
    // Case is kept in the readable part; the hash tells `Ab` from `ab` on a case-insensitive disk.
    ['Ab', `Ab-${fnv1a64('Ab')}`],
    ['video_aB+c/=', `video_aB_c-${fnv1a64('video_aB+c/=')}`],
    // Nothing readable: the stem says `video`.
    ['::', `video-${fnv1a64('::')}`],
    ['+/=', `video-${fnv1a64('+/=')}`],
    // Too long to be plain: the readable part is cut at 100 characters.
    ['x'.repeat(101), `${'x'.repeat(100)}-${fnv1a64('x'.repeat(101))}`],
  ])('names %s as %s', (id, stem) => {
    expect(fileStemForId(id)).toBe(stem);
  });

  it('spells the hash out, so a stem is stable across runs', () => {
    expect(fileStemForId('Ab')).toBe('Ab-09084407b5a0b74a');
    expect(fileStemForId('::')).toBe('video-081e0e07b4d9f795');
  });
});
