import { CompletionWaiter } from '../../src/application/completion-waiter';
import { JobFollower } from '../../src/application/job-follower';
import { JobOwnership } from '../../src/application/job-ownership';
import { ModelDirectory } from '../../src/application/model-directory';
import { OutputNames } from '../../src/application/output-names';
import { RequestPlanner } from '../../src/application/request-planner';
import { SpendingLedger, type CostEstimate, type SpendingCaps } from '../../src/application/spending-ledger';
import { VariantDownloader } from '../../src/application/variant-downloader';
import { ModelCatalog } from '../../src/domain/model-catalog';
import type { ModelEntry } from '../../src/domain/model-entry';
import type { ProviderProfile } from '../../src/domain/ports';
import { FakeClock, InMemoryJobRegistry, silentLogger } from '../../src/testing';
import type { Video } from '../../src/domain/video';
import { MemoryMediaStore, ScriptedProvider, video } from './in-memory-ports';

/*
 * The create, remix, download, cancel and job tools' core over fakes: a scripted provider, the in-memory registry and
 * store, a fake clock, and a catalog pricing sora-2 at $0.10 a second (a 4 s job is estimated at $0.40).
 */

const LIMITS = { maxBytes: 64 * 1024 * 1024, deadlineMs: 600_000 };
const source = 'https://example.test/prices';
const MODELS: ModelEntry[] = [
  {
    id: 'sora-2',
    seconds: ['4', '8', '12'],
    default_seconds: '4',
    input_reference: 'optional',
    prices: [{ usd_per_second: 0.1, source, read: '2026-01-01' }],
    source,
  },
];

/** The scripted provider under a profile of its own (what it takes and offers), as a gateway states one. */
export class ProfiledProvider extends ScriptedProvider {
  constructor(readonly profile: ProviderProfile) {
    super();
  }
}

export interface UseCaseOptions {
  caps?: SpendingCaps;
  /** Callers are told apart and every job is recorded (team mode). */
  team?: boolean;
  provider?: ScriptedProvider;
  secrets?: readonly string[];
}

export function useCaseHarness(options: UseCaseOptions = {}) {
  const provider = options.provider ?? new ScriptedProvider();
  provider.models = ['sora-2'];
  const registry = new InMemoryJobRegistry();
  const store = new MemoryMediaStore();
  const clock = new FakeClock();
  const team = options.team ?? false;
  const names = new OutputNames(store, options.secrets ?? []);
  const downloader = new VariantDownloader(provider, store, clock, silentLogger, LIMITS);
  const follower = new JobFollower(new CompletionWaiter(provider, clock, silentLogger), downloader, names);
  const planner = new RequestPlanner(
    provider,
    new ModelDirectory(provider, new ModelCatalog([{ origin: 'user', entries: MODELS }]), clock),
  );
  const ledger = new SpendingLedger(options.caps ?? {}, registry, clock, team);
  const ownership = new JobOwnership(registry, { enforced: team, recordsJobs: team });
  /** What `owner` has spent today (estimates, or reported costs). */
  const spent = async (owner = 'default') => (await registry.spent(owner, 0)).ownerUsd;
  /** A job `owner` started earlier, as the registry knows it. */
  const ownedJob = async (owner: string, id: string, estimate: CostEstimate = { usd: 0.4, model: 'sora-2' }) => {
    const claim = await ledger.reserve(estimate, { owner, operation: 'create' });
    if (claim.kind !== 'new') throw new Error('expected a new claim');
    await claim.started(video({ id }));
  };
  return { provider, registry, store, clock, names, downloader, follower, planner, ledger, ownership, spent, ownedJob };
}

/**
 * Holds the next create or remix until the test answers it, as a slow provider would: `sending` resolves once the call
 * is made, and `sent` says whether it was.
 */
export function holdNext(spy: { mockImplementationOnce(implementation: () => Promise<Video>): unknown }) {
  const held = { sent: false, sending: undefined as unknown as Promise<void>, answer: (_video: Video) => undefined as void };
  held.sending = new Promise<void>((reached) => {
    spy.mockImplementationOnce(async () => {
      held.sent = true;
      reached();
      return new Promise<Video>((resolve) => (held.answer = resolve));
    });
  });
  return held;
}
