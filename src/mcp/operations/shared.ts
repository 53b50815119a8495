import type { z } from 'zod';
import type { VideoJobResult } from '../../application/job-result';
import { IMAGE_PREVIEW_MAX_BYTES } from '../limits';
import type { Hints, UseCases } from './operation';

/** Starts a paid job, or writes files (never replacing one unless overwrite is true). */
export const writesFiles: Hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
export const reads: Hints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

/** A field with a tool set's default, or optional when the set gives none. */
export const withDefault = <T extends z.ZodType>(schema: T, value: unknown) =>
  value === undefined ? schema.optional() : schema.default(value as never);

/** A job's result, with small saved images shown inline so the model can look at them. */
export async function presentJob(u: UseCases, result: VideoJobResult) {
  const previews = await u.media.previews(result.files, IMAGE_PREVIEW_MAX_BYTES, (file) => file.mimeType.startsWith('image/'));
  return u.presenter.job(result, previews);
}
