/**
 * `sora2-mcp/testing`: contract kits and in-memory fakes for people who build on sora2-mcp. Run the
 * contracts against your own VideoProvider or MediaStore under jest or `node:test`; hand the fakes to
 * `createSora2Server({ overrides })` to drive the server without a network or a disk.
 */
export { mediaStoreContract, type MediaStoreHarness } from './media-store-contract';
export { videoProviderContract, type ContractOptions, type ProviderHarness } from './video-provider-contract';
export type { TestBody, TestRunner } from './test-runner';
export { InMemoryMediaStore } from './in-memory-media-store';
export { InMemoryVideoProvider, type InMemoryVideoProviderOptions } from './in-memory-video-provider';
export { FakeClock, RecordingLogger, silentLogger } from './fakes';
export { jobRegistryContract, type JobRegistryHarness } from './job-registry-contract';
export { InMemoryJobRegistry } from './in-memory-job-registry';
