/**
 * `sora2-mcp` as a library: importing it starts nothing (no server, no stdio, no timers). Build a
 * server with `createSora2Server`, replace any port through `overrides`, and connect it to the
 * transport you choose. The bin (`npx sora2-mcp`) is a separate entry.
 */
export { createSora2Server, type Sora2Overrides, type Sora2Server, type Sora2ServerOptions } from './composition/create-server';
export { ConfigError, parseConfig as loadConfig, type AppConfig, type Environment } from './composition/config';
export type * from './domain/ports';
export type {
  ListOrder,
  ListVideosQuery,
  Video,
  VideoDeleteResponse,
  VideoJobError,
  VideoPage,
  VideoSeconds,
  VideoSize,
  VideoStatus,
  VideoVariant,
} from './domain/video';
export { CancelledError, DomainError, ERROR_CODES, isDomainError, JobEndedError, type ErrorCode } from './domain/errors';
