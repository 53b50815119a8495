import { nearestModel } from '../../src/application/model-directory';

describe('a mistyped model id', () => {
  const known = [
    'runwayml/gen4_turbo',
    'sora-2',
    'sora-2-pro',
    'veo-3.0-generate-001',
    'veo-3.1-generate-preview',
    'google/veo-3.1-fast',
    'fal-ai/veo3.1',
  ];

  it.each([
    ['sora2', 'sora-2'],
    ['SORA_2', 'sora-2'],
    ['soar-2', 'sora-2'],
    ['sora-2-pr', 'sora-2-pro'],
    ['google/veo-3.1-fsat', 'google/veo-3.1-fast'],
    ['fal-ai/veo-3.1', 'fal-ai/veo3.1'],
  ])('%s is taken for %s', (typed, meant) => {
    expect(nearestModel(typed, known)).toBe(meant);
  });

  it.each([
    ['veo-3.1-generate-001', 'another version of a known model: it may exist'],
    ['sora-3', 'another number'],
    ['kling-v3-0', 'nothing close'],
    ['sora-2', 'a known id itself'],
    ['v2', 'too short to guess'],
    ['runway/gen4_turbo', "another gateway's route to a model"],
  ])('%s is left alone (%s)', (typed) => {
    expect(nearestModel(typed, known)).toBeUndefined();
  });
});
