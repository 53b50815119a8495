/**
 * Sizes that keep every message far below what MCP clients accept: the TypeScript SDK's stdio
 * transport closes the connection on a line over 10 MiB, and base64 grows data by a third.
 */

/** Thumbnails and spritesheets up to this size are also returned as `image` content blocks. */
export const IMAGE_PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * `download_video` (sora2 tool set) inlines `data_base64` up to this size. The JSON text block repeats
 * structuredContent, so the message carries it twice: 2 MiB → about 5.4 MiB of base64 in all.
 */
export const INLINE_DOWNLOAD_MAX_BYTES = 2 * 1024 * 1024;

/** `resources/read` returns files up to this size (6.7 MiB of base64). */
export const RESOURCE_READ_MAX_BYTES = 5 * 1024 * 1024;
