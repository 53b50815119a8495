import { randomBytes } from 'node:crypto';
import { loopbackCertificate } from '../tls';
import { GatewayFake, json, type GatewayRequest, type Reply } from './gateway-fake';

/**
 * Google's Gemini API (the Developer API, v1beta) for Veo, from the v1beta proto (googleapis
 * `google/ai/generativelanguage/v1beta/prediction_service.proto` @ c76b7407), the google-genai SDK's mapping for this
 * API (python-genai `google/genai/models.py` @ 66807187, `files.py`), the Veo guide
 * (https://ai.google.dev/gemini-api/docs/video) and Google's error envelope as seen in real answers; shared/gateways/
 * gemini.md has each fact with its source. Unkind where Google is, or may be:
 *
 * - The key only in `x-goog-api-key`: none is 403 PERMISSION_DENIED, a wrong one 400 INVALID_ARGUMENT "API key not
 *   valid" with an `API_KEY_INVALID` ErrorInfo. A `Bearer` header is not a key here.
 * - `POST /v1beta/models/{model}:predictLongRunning`, checked strictly by model (the docs leave unknown fields open:
 *   the unkind reading): `seed` and `generateAudio` are Vertex AI's, refused here; a duration, aspect ratio or
 *   resolution the model does not take, a last frame without a first or on Veo 3, reference images beyond Veo 3.1,
 *   and 1080p, 4k or references at anything but 8 seconds are 400 INVALID_ARGUMENT naming the field.
 * - The answer is an operation named `models/{model}/operations/{id}` (slashes), polled with `GET /v1beta/{name}`:
 *   no progress, no queue; `done` with `generatedSamples[].video.uri`, or `raiMediaFilteredCount` and
 *   `raiMediaFilteredReasons` (a `[filtered]` prompt), or an `error` of google.rpc codes (a `[fail]` prompt).
 * - The video's uri is `/v1beta/files/{id}:download?alt=media` on the API's host, which needs the key and answers
 *   302 to `/download/v1beta/files/{id}:download?alt=media`, which needs it too. `foreignUri` names a uri on another
 *   origin instead (the `trap`), which records any request that carries the key.
 * - `rateLimit` answers the next submits 429 RESOURCE_EXHAUSTED, with a RetryInfo delay in the body (no header).
 * - No cancel, list, remix or delete: those routes are 404.
 */
interface VeoFakeModel {
  id: string;
  resolutions: readonly string[];
  lastFrame: boolean;
  references: number;
}

const VEO_FAKE_MODELS: readonly VeoFakeModel[] = [
  { id: 'veo-3.1-generate-preview', resolutions: ['720p', '1080p', '4k'], lastFrame: true, references: 3 },
  { id: 'veo-3.1-fast-generate-preview', resolutions: ['720p', '1080p', '4k'], lastFrame: true, references: 0 },
  { id: 'veo-3.0-generate-001', resolutions: ['720p', '1080p'], lastFrame: false, references: 0 },
  { id: 'veo-3.0-fast-generate-001', resolutions: ['720p', '1080p'], lastFrame: false, references: 0 },
];

const PARAMETERS = ['durationSeconds', 'aspectRatio', 'resolution', 'negativePrompt', 'personGeneration', 'enhancePrompt', 'sampleCount'];

interface Operation {
  name: string;
  model: string;
  request: Record<string, unknown>;
  polls: number;
  file: string;
}

export class GeminiFake extends GatewayFake {
  protected readonly basePath = '/v1beta';
  readonly keys = ['AIzaSyA0123456789abcdefghijklmnopqrstuv', 'AIzaSyOther00000000000000000000000000000'];
  rateLimit = 0;
  /** Name the video on another origin (the trap), which must never get the key. */
  foreignUri = false;
  readonly operations = new Map<string, Operation>();

  private constructor(readonly trap: KeyTrapFake) {
    super();
  }

  static async start(): Promise<GeminiFake> {
    const { key, cert } = loopbackCertificate();
    const trap = await new KeyTrapFake().listen({ key, cert });
    return new GeminiFake(trap).listen();
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.trap.close()]);
  }

  protected route(request: GatewayRequest): Reply {
    const key = request.headers['x-goog-api-key'];
    if (typeof key !== 'string' || key === '') {
      return error(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (!this.keys.includes(key)) {
      return error(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ]);
    }
    const path = request.path;
    const predict = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(path);
    if (predict && request.method === 'POST') return this.predict(request, predict[1]!);
    const operation = /^\/v1beta\/(models\/[^/]+\/operations\/[^/]+)$/.exec(path);
    if (operation && request.method === 'GET') return this.poll(operation[1]!);
    const download = /^(\/download)?\/v1beta\/files\/([a-z0-9]+):download$/.exec(path);
    if (download && request.method === 'GET' && request.query.get('alt') === 'media') {
      if (!download[1])
        return {
          status: 302,
          type: 'text/html',
          body: '',
          headers: { location: `/download/v1beta/files/${download[2]}:download?alt=media` },
        };
      return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
    }
    if (path === '/v1beta/models' && request.method === 'GET') {
      return json(200, {
        models: VEO_FAKE_MODELS.map((model) => ({ name: `models/${model.id}`, supportedGenerationMethods: ['predictLongRunning'] })),
      });
    }
    return error(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`);
  }

  private predict(request: GatewayRequest, modelId: string): Reply {
    const model = VEO_FAKE_MODELS.find((candidate) => candidate.id === modelId);
    if (!model)
      return error(404, 'NOT_FOUND', `models/${modelId} is not found for API version v1beta, or is not supported for predictLongRunning.`);
    if (this.rateLimit > 0) {
      this.rateLimit -= 1;
      return error(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '20s' },
      ]);
    }
    const body = request.json;
    const refuse = (message: string) => error(400, 'INVALID_ARGUMENT', message);
    if (!body || !Array.isArray(body.instances) || body.instances.length !== 1) return refuse('instances must hold exactly one instance.');
    const instance = body.instances[0] as Record<string, unknown>;
    const parameters = (body.parameters ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(body))
      if (name !== 'instances' && name !== 'parameters')
        return refuse(`Invalid JSON payload received. Unknown name "${name}": Cannot find field.`);
    for (const name of Object.keys(instance)) {
      if (!['prompt', 'image', 'lastFrame', 'referenceImages', 'video'].includes(name))
        return refuse(`${name} isn't supported by this model.`);
    }
    if (parameters.seed !== undefined) return refuse('seed parameter is not supported in Gemini API.');
    if (parameters.generateAudio !== undefined) return refuse('generateAudio parameter is not supported in Gemini API.');
    for (const name of Object.keys(parameters)) if (!PARAMETERS.includes(name)) return refuse(`${name} isn't supported by this model.`);
    if (typeof instance.prompt !== 'string' && instance.image === undefined) return refuse('A prompt is required.');
    const imageOk = (value: unknown) => {
      const image = value as { bytesBase64Encoded?: unknown; mimeType?: unknown } | undefined;
      return typeof image?.bytesBase64Encoded === 'string' && /^image\/(png|jpeg|webp)$/.test(String(image.mimeType));
    };
    if (instance.image !== undefined && !imageOk(instance.image)) return refuse('image must have bytesBase64Encoded and mimeType.');
    if (instance.lastFrame !== undefined) {
      if (!model.lastFrame) return refuse(`lastFrame isn't supported by ${model.id}.`);
      if (instance.image === undefined) return refuse('lastFrame requires image.');
      if (!imageOk(instance.lastFrame)) return refuse('lastFrame must have bytesBase64Encoded and mimeType.');
    }
    const references = Array.isArray(instance.referenceImages) ? instance.referenceImages : [];
    if (references.length > model.references) return refuse(`referenceImages: ${model.id} takes at most ${model.references}.`);
    const duration = parameters.durationSeconds;
    if (duration !== undefined && (typeof duration !== 'number' || ![4, 6, 8].includes(duration))) {
      return refuse('durationSeconds must be 4, 6 or 8.');
    }
    if (parameters.aspectRatio !== undefined && !['16:9', '9:16'].includes(parameters.aspectRatio as string)) {
      return refuse(`aspectRatio ${JSON.stringify(parameters.aspectRatio)} is not supported; use 16:9 or 9:16.`);
    }
    const resolution = parameters.resolution;
    if (resolution !== undefined && !model.resolutions.includes(resolution as string)) {
      return refuse(`resolution ${JSON.stringify(resolution)} is not supported by ${model.id}.`);
    }
    if ((resolution === '1080p' || resolution === '4k' || references.length > 0) && duration !== undefined && duration !== 8) {
      return refuse('1080p, 4k and reference images need durationSeconds 8.');
    }
    const name = `models/${model.id}/operations/${randomBytes(6).toString('hex')}`;
    this.operations.set(name, { name, model: model.id, request: body, polls: 0, file: randomBytes(6).toString('hex') });
    return json(200, { name });
  }

  private poll(name: string): Reply {
    const operation = this.operations.get(name);
    if (!operation) return error(404, 'NOT_FOUND', `Operation ${name} not found.`);
    operation.polls += 1;
    if (operation.polls < this.pollsToComplete) return json(200, { name });
    const said = ((operation.request.instances as Record<string, unknown>[])[0] ?? {}).prompt;
    const prompt = typeof said === 'string' ? said : '';
    if (prompt.includes('[fail]')) {
      return json(200, {
        name,
        done: true,
        error: { code: 13, message: 'Video generation failed due to an internal error. Please try again.' },
      });
    }
    const type = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';
    if (prompt.includes('[filtered]')) {
      return json(200, {
        name,
        done: true,
        response: {
          '@type': type,
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: [
              "We encountered an issue with the audio for your prompt. You weren't charged for this request. Support codes: 58061214",
            ],
          },
        },
      });
    }
    const origin = this.foreignUri ? this.trap.origin : this.origin;
    return json(200, {
      name,
      done: true,
      response: {
        '@type': type,
        generateVideoResponse: { generatedSamples: [{ video: { uri: `${origin}/v1beta/files/${operation.file}:download?alt=media` } }] },
      },
    });
  }
}

/** Another origin a video uri may name (https, as a real one would be): it serves the bytes to anyone, and records every request that brings the key. */
export class KeyTrapFake extends GatewayFake {
  protected readonly basePath = '';
  readonly keys = [] as const;
  readonly withKey: GatewayRequest[] = [];

  protected route(request: GatewayRequest): Reply {
    if (request.headers['x-goog-api-key'] || request.headers.authorization) this.withKey.push(request);
    return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
  }
}

function error(code: number, status: string, message: string, details?: unknown[]): Reply {
  return json(code, { error: { code, message, status, ...(details ? { details } : {}) } });
}
