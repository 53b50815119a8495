import { skipped, type TestRunner } from '../../src/testing/test-runner';

describe('the contract kits on a runner that cannot skip', () => {
  it('register a case the subject does not offer under a name that says so, never dropping it without a word', () => {
    const registered: string[] = [];
    const runner: TestRunner = {
      describe: () => undefined,
      it: (name: string) => registered.push(name),
      beforeEach: () => undefined,
      afterEach: () => undefined,
    };
    skipped(runner, 'remixes a completed video', async () => undefined);
    expect(registered).toEqual(['remixes a completed video (not run: the subject does not offer it)']);
  });
});
