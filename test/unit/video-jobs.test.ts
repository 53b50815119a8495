import { VideoJobs } from '../../src/application/use-cases/video-jobs';
import { refusalOf } from '../support/refusals';
import { useCaseHarness } from '../support/use-case-harness';

/*
 * The status, list and delete tools' core: another user's job is unknown and nothing is sent for it, the caller keeps
 * the id it holds whatever a gateway answers with, and in team mode the list is the caller's own jobs.
 */

function setup(team = true) {
  const harness = useCaseHarness({ team });
  return { ...harness, jobs: new VideoJobs(harness.provider, harness.ownership) };
}

describe('VideoJobs', () => {
  it.each([
    ['status', (jobs: VideoJobs) => jobs.retrieve('video_1', { caller: 'bob' })],
    ['delete', (jobs: VideoJobs) => jobs.delete('video_1', { caller: 'bob' })],
  ])('refuses %s of another user’s job exactly as an unknown one, sending nothing', async (_tool, call) => {
    const { jobs, provider, ownedJob } = setup();
    await ownedJob('ana', 'video_1');
    await expect(refusalOf(call(jobs))).resolves.toEqual({
      code: 'not_found',
      field: 'video_id',
      details: { reason: 'unknown_video', video_id: 'video_1' },
    });
    expect(provider.calls).toEqual([]);
  });

  it('reads the caller’s job under the id it holds, and notes its latest state', async () => {
    const { jobs, provider, ownedJob, registry } = setup();
    await ownedJob('ana', 'video_1');
    provider.retrieves = [{ id: 'upstream_1', status: 'in_progress', progress: 60 }];
    const signal = new AbortController().signal;
    const video = await jobs.retrieve('video_1', { caller: 'ana', signal });
    expect(video).toMatchObject({ id: 'video_1', provider_id: 'upstream_1', status: 'in_progress', progress: 60 });
    expect(provider.calls).toEqual([{ method: 'retrieve', args: ['video_1', { signal }] }]);
    expect((await registry.find('video_1'))?.video).toMatchObject({ id: 'video_1', status: 'in_progress', progress: 60 });
  });

  it('answers the status even when the registry cannot note it', async () => {
    const { jobs, ownedJob, registry } = setup();
    await ownedJob('default', 'video_1');
    jest.spyOn(registry, 'update').mockRejectedValue(new Error('database gone'));
    await expect(jobs.retrieve('video_1')).resolves.toMatchObject({ id: 'video_1', status: 'completed' });
  });

  it('lists the caller’s own jobs from the registry in team mode, asking the provider nothing', async () => {
    const { jobs, provider, ownedJob } = setup();
    await ownedJob('ana', 'video_a');
    await ownedJob('bob', 'video_b');
    const page = await jobs.list({ limit: 10 }, { caller: 'ana' });
    expect(page.data.map((video) => video.id)).toEqual(['video_a']);
    expect(provider.calls).toEqual([]);
    expect((await jobs.list({}, {})).data).toEqual([]);
  });

  it('lists the provider’s jobs where jobs are not recorded', async () => {
    const { jobs, provider } = setup(false);
    const listing = jest.spyOn(provider, 'list');
    const signal = new AbortController().signal;
    await expect(jobs.list({ limit: 5, order: 'asc' }, { signal })).resolves.toMatchObject({ object: 'list', data: [] });
    expect(listing).toHaveBeenCalledWith({ limit: 5, order: 'asc' }, { signal });
  });

  it('deletes the caller’s job, answering under the id it holds and naming the provider’s own', async () => {
    const { jobs, provider, ownedJob } = setup();
    await ownedJob('ana', 'video_1');
    const deleting = jest.spyOn(provider, 'delete').mockResolvedValueOnce({ id: 'upstream_1', object: 'video.deleted', deleted: true });
    const signal = new AbortController().signal;
    await expect(jobs.delete('video_1', { caller: 'ana', signal })).resolves.toEqual({
      id: 'video_1',
      provider_id: 'upstream_1',
      object: 'video.deleted',
      deleted: true,
    });
    expect(deleting).toHaveBeenCalledWith({ id: 'video_1' }, { signal });
    // Where the provider answers with the same id, the answer is as it came.
    await expect(jobs.delete('video_1', { caller: 'ana' })).resolves.toEqual({ id: 'video_1', object: 'video.deleted', deleted: true });
  });

  it('takes a run without a caller as the default user’s', async () => {
    const { jobs, ownedJob, provider } = setup();
    await ownedJob('default', 'video_1');
    await ownedJob('default', 'video_2');
    await expect(jobs.retrieve('video_1')).resolves.toMatchObject({ id: 'video_1' });
    await expect(jobs.delete('video_2')).resolves.toMatchObject({ id: 'video_2', deleted: true });
    expect((await jobs.list({})).data.map((video) => video.id)).toEqual(['video_2', 'video_1']);
    expect(provider.count('list')).toBe(0);
  });
});
