/**
 * What the server and its MCP Apps view agree on. The view (src/mcp/view, bundled for the browser)
 * imports only this file from the server's code.
 */

/** The view that follows a job and plays its video (`npm run build` makes build/view/video.html). */
export const VIDEO_VIEW_URI = 'ui://sora2-mcp/video.html';

/** The app-only tool the view loads media with; hosts hide it from the model, other clients never see it. */
export const VIEW_READ_TOOL = 'video_view_read';

/** Bytes per read of the view's media: a multiple of 3, so the base64 of consecutive reads joins into one. */
export const VIEW_READ_MAX_BYTES = 3 * 128 * 1024;

/** Each tool set's names for what the view does, by the prefix of the tool that opened it. */
export const VIEW_TOOLS = {
  'openai-videos': {
    retrieve: 'openai-videos-retrieve',
    download: 'openai-videos-download-content',
    remix: 'openai-videos-remix',
    delete: 'openai-videos-delete',
    sequence: 'openai-videos-sequence',
  },
  sora2: {
    retrieve: 'get_video_status',
    download: 'download_video',
    remix: 'remix_video',
    delete: 'delete_video',
    sequence: 'create_sequence',
  },
} as const;
