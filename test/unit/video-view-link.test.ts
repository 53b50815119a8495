import { appsServer, VIDEO_VIEW_URI, viewLink } from '../../src/mcp/video-view';

// ext-apps is ESM only; jest transforms it, and video-view.ts's appsServer() requires it as the bundles do.
const { registerAppTool } = appsServer();

describe("the view's link, set without loading ext-apps at start-up", () => {
  it('is what ext-apps’ registerAppTool writes into a tool', () => {
    let written: unknown;
    const server = {
      registerTool: (_name: string, config: { _meta?: unknown }) => {
        written = config._meta;
        return undefined as never;
      },
    };
    registerAppTool(server, 'x', { description: 'x', _meta: { ui: { resourceUri: VIDEO_VIEW_URI } } }, async () => ({ content: [] }));
    expect(viewLink(VIDEO_VIEW_URI)).toEqual(written);
  });
});
