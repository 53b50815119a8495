import { downloadFailed } from '../../src/domain/errors';
import { Presenter } from '../../src/mcp/presenter';
import { deleteOutput, videoOutput, videoPageOutput } from '../../src/mcp/schemas';
import { RecordingLogger } from '../support/fakes';
import { video } from '../support/in-memory-ports';

const KEY = 'sk-proj-secret-abcdef123456';

describe('Presenter', () => {
  const logger = new RecordingLogger();
  const presenter = new Presenter(logger);

  function lastJson(result: { content: { type: string; text?: string }[] }): unknown {
    const last = result.content.at(-1)!;
    expect(last.type).toBe('text');
    return JSON.parse(last.text!);
  }

  it('builds structuredContent and the final JSON text from the same value, valid against the output schema', () => {
    const value = video({ status: 'completed', progress: 100, extra_field: 'kept' });
    const result = presenter.video(value);
    expect(result.structuredContent).toEqual(value);
    expect(lastJson(result as never)).toEqual(result.structuredContent);
    expect(videoOutput.safeParse(result.structuredContent).success).toBe(true);
    const page = presenter.page({ object: 'list', data: [value], first_id: 'video_1', last_id: 'video_1', has_more: true });
    expect(videoPageOutput.safeParse(page.structuredContent).success).toBe(true);
    expect(page.content[0]).toMatchObject({ text: expect.stringContaining('after="video_1"') });
    expect(deleteOutput.safeParse(presenter.deleted({ id: 'v', object: 'video.deleted', deleted: true }).structuredContent).success).toBe(
      true,
    );
  });

  it('puts one resource_link per saved file before the text blocks', () => {
    const result = presenter.job({
      video: video({ status: 'completed' }),
      files: [{ location: '/r/a.mp4', uri: 'file:///r/a.mp4', name: 'a.mp4', mimeType: 'video/mp4', sizeBytes: 10 }],
    });
    expect(result.content[0]).toEqual({ type: 'resource_link', uri: 'file:///r/a.mp4', name: 'a.mp4', mimeType: 'video/mp4', size: 10 });
    expect(result.content).toHaveLength(3);
    expect(JSON.stringify(result.content)).not.toMatch(/base64/);
  });

  it('makes errors isError results without structuredContent, keeping saved files and the code', () => {
    const result = presenter.job({
      video: video({ status: 'completed' }),
      files: [{ location: '/r/a.mp4', uri: 'file:///r/a.mp4', name: 'a.mp4', mimeType: 'video/mp4', sizeBytes: 10 }],
      failure: downloadFailed({ reason: 'cut_short', variant: 'thumbnail', video_id: 'video_1' }),
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.content[0]).toMatchObject({ type: 'resource_link' });
    expect(result.content[1]).toMatchObject({
      text: expect.stringMatching(/^Downloading the thumbnail of video_1 failed: the body was cut short.*\(code: download_failed\)$/s),
    });
  });

  it("never passes an unexpected exception's text to the agent, and logs it", () => {
    const result = presenter.error(new TypeError(`cannot read x of undefined at ${KEY}`));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain('cannot read');
    expect(JSON.stringify(result)).toContain('internal_error');
    expect(logger.lines.at(-1)?.level).toBe('error');
  });

  it('makes the models answer once for the same list and budgets, and anew when the budget moves', () => {
    const list = { models: Object.freeze([]) };
    const speaking = new Presenter(logger);
    const budget = (spent: number) => ({ period: 'day' as const, user: { budgetUsd: 5, spentUsd: spent, leftUsd: 5 - spent } });
    const first = speaking.models(list, budget(1));
    expect(speaking.models(list, budget(1))).toBe(first);
    expect(Object.isFrozen(first.structuredContent)).toBe(true);
    const after = speaking.models(list, budget(2));
    expect(after).not.toBe(first);
    expect(after.structuredContent).toMatchObject({ budget: { user: { spent_usd: 2, left_usd: 3 } } });
    expect(JSON.stringify(after.content)).toMatch(/\$3\.00 of your \$5\.00/);
    // Another list (the provider's answer changed) is another answer, whatever the budget.
    expect(speaking.models({ models: Object.freeze([]) }, budget(2))).not.toBe(after);
  });
});
