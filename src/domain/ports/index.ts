export * from './video-provider';
export * from './media-store';
export * from './image-processor';
export * from './clock';
export * from './logger';
export * from './image-fetcher';
export * from './target-check';
export * from './job-registry';
