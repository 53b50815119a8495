import { z } from 'zod';
import {
  ASPECT_RATIO_PATTERN,
  AUDIO_SUPPORT,
  MAX_REFERENCE_IMAGES,
  REFERENCE_SUPPORT,
  RESOLUTION_PATTERN,
  type ModelCapabilities,
  type PriceTier,
} from './controls';
import type { ModelEntry, PriceEntry } from './model-entry';
import { VIDEO_SIZE_PATTERN } from './video';

/**
 * What is known about video models, as data: the built-in catalog (`model-catalog.json`, each entry
 * citing its source) plus a user's file (`SORA2_MCP_MODELS`). It informs; it never gates an unknown
 * model, which passes through to the provider untouched.
 */

export { REFERENCE_SUPPORT, type ReferenceSupport } from './controls';
export type ModelSource = 'catalog' | 'user' | 'provider';

const seconds = z.union([z.string().regex(/^[1-9][0-9]{0,3}$/), z.int().min(1).max(9999)]).transform(String);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

const priceSchema = z.strictObject({
  usd_per_second: z.number().nonnegative().max(1000),
  resolution: z.string().regex(RESOLUTION_PATTERN, 'a resolution is like 720p, 1080p or 4K').optional(),
  audio: z.boolean().optional(),
  source: z.string().min(1),
  read: date,
});

const entrySchema = z.strictObject({
  id: z.string().min(1).max(200),
  aliases: z.array(z.string().min(1).max(200)).readonly().optional(),
  sizes: z.array(z.string().regex(VIDEO_SIZE_PATTERN, 'a size is WIDTHxHEIGHT, e.g. 1280x720')).min(1).readonly().optional(),
  seconds: z.array(seconds).min(1).readonly().optional(),
  default_seconds: seconds.optional(),
  resolutions: z.array(z.string().regex(RESOLUTION_PATTERN, 'a resolution is like 720p, 1080p or 4K')).min(1).readonly().optional(),
  aspect_ratios: z.array(z.string().regex(ASPECT_RATIO_PATTERN, 'an aspect ratio is W:H, e.g. 16:9')).min(1).readonly().optional(),
  input_reference: z.enum(REFERENCE_SUPPORT).optional(),
  last_frame: z.boolean().optional(),
  reference_images: z.int().min(0).max(MAX_REFERENCE_IMAGES).optional(),
  audio: z.enum(AUDIO_SUPPORT).optional(),
  seed: z.boolean().optional(),
  negative_prompt: z.boolean().optional(),
  remix: z.boolean().optional(),
  prices: z.array(priceSchema).min(1).readonly().optional(),
  typical_render_seconds: z.number().positive().max(86_400).optional(),
  source: z.string().min(1),
  notes: z.string().optional(),
});

const catalogSchema = z.strictObject({
  $comment: z.string().optional(),
  models: z.array(entrySchema),
});

export type { ModelEntry, PriceEntry } from './model-entry';

/** The schema parses to exactly the declared entry: a field added to one and not the other does not compile. */
type Same<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;
const schemaMatchesEntry: [Same<z.output<typeof entrySchema>, ModelEntry>, Same<z.output<typeof priceSchema>, PriceEntry>] = [true, true];
void schemaMatchesEntry;

export interface CatalogedModel extends ModelEntry {
  origin: Exclude<ModelSource, 'provider'>;
}

export class ModelCatalogFormatError extends Error {}

/** Parses a catalog document; a bad one names the entry and field that is wrong. */
export function parseModelCatalog(document: unknown): ModelEntry[] {
  const parsed = catalogSchema.safeParse(document);
  if (parsed.success) return parsed.data.models;
  const issue = parsed.error.issues[0]!;
  throw new ModelCatalogFormatError(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
}

/** The capabilities an entry states (its other fields are about the entry itself). */
export function capabilitiesOf(entry: ModelEntry): ModelCapabilities {
  const {
    id: _id,
    aliases: _aliases,
    prices: _prices,
    typical_render_seconds: _typical,
    source: _source,
    notes: _notes,
    // A catalogued entry also says which layer it came from: not a capability.
    origin: _origin,
    ...capabilities
  } = entry as ModelEntry & { origin?: unknown };
  return capabilities;
}

export function pricesOf(entry: ModelEntry): PriceTier[] | undefined {
  return entry.prices?.map((tier) => ({ ...tier }));
}

type CatalogLayers = { origin: CatalogedModel['origin']; entries: readonly ModelEntry[] }[];

export class ModelCatalog {
  private made?: Map<string, CatalogedModel>;

  /**
   * Later layers replace earlier ones entry by entry (the user's file over the built-in catalog). Given as a function,
   * the layers are read on first use: parsing the built-in catalog is not part of start-up.
   */
  constructor(private readonly layers: CatalogLayers | (() => CatalogLayers)) {}

  private get byId(): Map<string, CatalogedModel> {
    if (this.made) return this.made;
    const byId = new Map<string, CatalogedModel>();
    for (const { origin, entries } of typeof this.layers === 'function' ? this.layers() : this.layers) {
      for (const entry of entries) {
        const model: CatalogedModel = { ...entry, origin };
        for (const id of [entry.id, ...(entry.aliases ?? [])]) byId.set(id, model);
      }
    }
    return (this.made = byId);
  }

  find(id: string): CatalogedModel | undefined {
    return this.byId.get(id);
  }

  /** Every entry once, in catalog order. */
  entries(): CatalogedModel[] {
    return [...new Set(this.byId.values())];
  }

  /** How long a clip of this model usually takes to render, when the catalog knows. */
  typicalRenderMs(id: string | undefined): number | undefined {
    const seconds = id === undefined ? undefined : this.find(id)?.typical_render_seconds;
    return seconds === undefined ? undefined : seconds * 1000;
  }
}
