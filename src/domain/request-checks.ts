import { normaliseResolution, type ControlName, type ModelCapabilities } from './controls';
import { modelConstraint, notOffered, type DomainError } from './errors';
import type { ProviderProfile } from './ports';
import type { VideoRequest } from './video-request';

/** A request as the checks see it: its images in any form (only whether they are there matters), its model named. */
export type CheckedRequest = VideoRequest<unknown> & { model: string };

/** The controls a request uses (what a provider must have a field for). */
export function controlsUsed(request: VideoRequest<unknown>): ControlName[] {
  const used: [ControlName, boolean][] = [
    ['input_reference', request.inputReference !== undefined],
    ['last_frame', request.lastFrame !== undefined],
    ['reference_images', (request.referenceImages?.length ?? 0) > 0],
    ['generate_audio', request.generateAudio !== undefined],
    ['seed', request.seed !== undefined],
    ['negative_prompt', request.negativePrompt !== undefined],
    ['aspect_ratio', request.aspectRatio !== undefined],
    ['resolution', request.resolution !== undefined],
    ['provider_options', request.providerOptions !== undefined],
  ];
  return used.filter(([, yes]) => yes).map(([name]) => name);
}

/**
 * Refuses, before anything is sent, a control the provider has no wire field for: sent anyway, it
 * would be dropped in silence or refused after the job was paid for.
 */
export function checkProviderTakes(profile: ProviderProfile, used: readonly ControlName[]): void {
  for (const control of used) {
    if (profile.controls.includes(control)) continue;
    throw notOffered(
      {
        kind: 'control',
        control,
        provider: profile.label,
        takes: [...profile.controls],
        ...(profile.controlHints?.[control] ? { hint: profile.controlHints[control] } : {}),
      },
      { field: control },
    );
  }
}

function refuse(
  field: string,
  model: string,
  details: { requirement: 'required' | 'unsupported' | 'always' | 'never' } | { value: string | number; allowed?: string[]; most?: number },
  source: string | undefined,
): DomainError {
  return modelConstraint(field, { model, ...details, ...(source === undefined ? {} : { source }) });
}

/**
 * Refuses, before anything is sent, what a known model does not take, naming what it does take.
 * A capability that is not known is not checked.
 */
export function checkModelTakes(request: CheckedRequest, capabilities: ModelCapabilities, source: string | undefined): void {
  const { model } = request;
  const firstFrame = request.inputReference !== undefined;
  const references = request.referenceImages?.length ?? 0;
  const oneOf = (field: string, value: string | undefined, allowed: readonly string[] | undefined, same = (a: string) => a) => {
    if (value === undefined || allowed === undefined || allowed.map(same).includes(same(value))) return;
    throw refuse(field, model, { value, allowed: [...allowed] }, source);
  };
  oneOf('size', request.size, capabilities.sizes);
  oneOf('seconds', request.seconds, capabilities.seconds);
  oneOf('aspect_ratio', request.aspectRatio, capabilities.aspect_ratios);
  oneOf('resolution', request.resolution, capabilities.resolutions, normaliseResolution);
  const reference = capabilities.input_reference;
  if (reference === 'required' && !firstFrame) {
    throw refuse('input_reference', model, { requirement: 'required' }, source);
  }
  if (reference === 'unsupported' && firstFrame) {
    throw refuse('input_reference', model, { requirement: 'unsupported' }, source);
  }
  if (capabilities.last_frame === false && request.lastFrame !== undefined) {
    throw refuse('last_frame', model, { requirement: 'unsupported' }, source);
  }
  const most = capabilities.reference_images;
  if (most !== undefined && references > most) {
    throw refuse('reference_images', model, { value: references, most }, source);
  }
  if (capabilities.audio === 'always' && request.generateAudio === false) {
    throw refuse('generate_audio', model, { requirement: 'always' }, source);
  }
  if (capabilities.audio === 'never' && request.generateAudio === true) {
    throw refuse('generate_audio', model, { requirement: 'never' }, source);
  }
  if (capabilities.seed === false && request.seed !== undefined) {
    throw refuse('seed', model, { requirement: 'unsupported' }, source);
  }
  if (capabilities.negative_prompt === false && request.negativePrompt !== undefined) {
    throw refuse('negative_prompt', model, { requirement: 'unsupported' }, source);
  }
}
