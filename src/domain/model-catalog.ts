import { z } from 'zod';
import { DomainError } from './errors';
import { VIDEO_SIZE_PATTERN } from './video';

/**
 * What is known about video models, as data: the built-in catalog (`model-catalog.json`, each entry
 * citing its source) plus a user's file (`SORA2_MCP_MODELS`). It informs; it never gates an unknown
 * model, which passes through to the provider untouched.
 */

export const REFERENCE_SUPPORT = ['required', 'optional', 'unsupported'] as const;
export type ReferenceSupport = (typeof REFERENCE_SUPPORT)[number];
export type ModelSource = 'catalog' | 'user' | 'provider';

const seconds = z.union([z.string().regex(/^[1-9][0-9]{0,3}$/), z.int().min(1).max(9999)]).transform(String);

const entrySchema = z.strictObject({
  id: z.string().min(1).max(200),
  aliases: z.array(z.string().min(1).max(200)).optional(),
  sizes: z.array(z.string().regex(VIDEO_SIZE_PATTERN, 'a size is WIDTHxHEIGHT, e.g. 1280x720')).min(1).optional(),
  seconds: z.array(seconds).min(1).optional(),
  input_reference: z.enum(REFERENCE_SUPPORT).optional(),
  remix: z.boolean().optional(),
  typical_render_seconds: z.number().positive().max(86_400).optional(),
  source: z.string().min(1),
  notes: z.string().optional(),
});

const catalogSchema = z.strictObject({
  $comment: z.string().optional(),
  models: z.array(entrySchema),
});

export type ModelEntry = z.output<typeof entrySchema>;

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

export interface CreateRequestShape {
  model: string | undefined;
  size: string | undefined;
  seconds: string | undefined;
  hasReference: boolean;
}

export class ModelCatalog {
  private readonly byId = new Map<string, CatalogedModel>();

  /** Later layers replace earlier ones entry by entry (the user's file over the built-in catalog). */
  constructor(layers: { origin: CatalogedModel['origin']; entries: readonly ModelEntry[] }[]) {
    for (const { origin, entries } of layers) {
      for (const entry of entries) {
        const model: CatalogedModel = { ...entry, origin };
        for (const id of [entry.id, ...(entry.aliases ?? [])]) this.byId.set(id, model);
      }
    }
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

  /**
   * Refuses, before anything is sent, a request a known model cannot take. An unknown model, or a
   * property the catalog does not describe, passes.
   */
  checkCreate(request: CreateRequestShape): void {
    if (request.model === undefined) return;
    const model = this.find(request.model);
    if (!model) return;
    if (request.size !== undefined && model.sizes && !model.sizes.includes(request.size)) {
      throw new DomainError('model_constraint', `model ${request.model} does not take size ${request.size}`, {
        field: 'size',
        details: { model: request.model, value: request.size, allowed: model.sizes, source: model.source },
      });
    }
    if (request.seconds !== undefined && model.seconds && !model.seconds.includes(request.seconds)) {
      throw new DomainError('model_constraint', `model ${request.model} does not take ${request.seconds} seconds`, {
        field: 'seconds',
        details: { model: request.model, value: request.seconds, allowed: model.seconds, source: model.source },
      });
    }
    if (model.input_reference === 'required' && !request.hasReference) {
      throw new DomainError('model_constraint', `model ${request.model} needs a reference image`, {
        field: 'input_reference',
        details: { model: request.model, requirement: 'required', source: model.source },
      });
    }
    if (model.input_reference === 'unsupported' && request.hasReference) {
      throw new DomainError('model_constraint', `model ${request.model} takes no reference image`, {
        field: 'input_reference',
        details: { model: request.model, requirement: 'unsupported', source: model.source },
      });
    }
  }
}
