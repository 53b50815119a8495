/**
 * Sizes that keep every message far below what MCP clients accept: the TypeScript SDK's stdio
 * transport closes the connection on a line over 10 MiB, and base64 grows data by a third.
 */

/** Thumbnails and spritesheets up to this size are also returned as `image` content blocks. */
export const IMAGE_PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * `download_video` (sora2 tool set) inlines `data_base64` up to this size, once (the JSON text copy
 * points to it instead of repeating it). Chosen for a model's context, not the transport: base64 text
 * costs roughly one token per 3 characters, so 48 KiB (64 KiB of base64) is about 20k tokens, a tenth
 * of a 200k context. Anything larger is a file and a resource_link.
 */
export const INLINE_DOWNLOAD_MAX_BYTES = 48 * 1024;

/** `resources/read` returns files up to this size (3.3 MiB of base64, inside the 4 MiB reply budget). */
export const RESOURCE_READ_MAX_BYTES = 2.5 * 1024 * 1024;

/** Any one string in a result (an echoed input, a provider's field, an error text): the exit gate cuts longer ones. */
export const MAX_STRING_CHARS = 64 * 1024;
