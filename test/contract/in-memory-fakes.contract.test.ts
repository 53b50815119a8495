import { InMemoryMediaStore, InMemoryVideoProvider, mediaStoreContract, videoProviderContract } from '../../src/testing';
import { jestRunner } from '../support/jest-runner';

// The published fakes keep the same promises as the real adapters, or they would teach users wrong.
mediaStoreContract(jestRunner, 'InMemoryMediaStore', async () => ({ store: new InMemoryMediaStore(), close: async () => undefined }));

videoProviderContract(jestRunner, 'InMemoryVideoProvider', async () => ({
  provider: new InMemoryVideoProvider(),
  tick: async () => undefined,
  close: async () => undefined,
}));
