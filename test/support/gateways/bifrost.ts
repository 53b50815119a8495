import { GatewayFake, json, text, type GatewayRequest, type Reply, type UpstreamJob } from './gateway-fake';

/**
 * Bifrost's video routes: its OpenAI-compatible ones (`/openai/v1/videos…`, multipart, what the
 * OpenAI SDK is pointed at) and its own unified ones (`/v1/videos…`, JSON: `unifiedURL`), read from
 * maximhq/bifrost: `transports/bifrost-http/handlers/inference.go` (unified routes, JSON decoding), `transports/bifrost-http/integrations/openai.go` (routes; multipart
 * create through `parseOpenAIVideoGenerationMultipartRequest`; `extractVideoIDFromPath`),
 * `core/schemas/videos.go` (answers, statuses), `core/schemas/bifrost.go` (errors),
 * `core/providers/runway/videos.go` and `core/providers/gemini/videos.go`, and
 * https://docs.getbifrost.ai/providers/supported-providers/runway. Unkind where Bifrost is:
 *
 * - The model must be `provider/model`, else 400. Ids are `<path-escaped upstream id>:<provider>`
 *   (a Gemini operation name keeps its escaped slashes: `models%2Fveo…%2Foperations%2F7:gemini`); a
 *   path id without `:provider` is 400 "video_id must be in id:provider format".
 * - Errors are Bifrost's own envelope `{is_bifrost_error, status_code, error: {message, code?}, extra_fields}`;
 *   an operation a provider lacks is 400 `unsupported_operation` ("video_remix is not supported by
 *   runway provider"): Runway has no remix or list (its delete cancels), Gemini no remix, list or delete.
 * - Runway: image-to-video needs `input_reference`, `seconds` 5 or 10, the size becomes a `W:H` ratio.
 *   Gemini (Veo): `size` becomes an aspect ratio, and anything but the four OpenAI sizes is 16:9.
 * - `/content` passes `variant` through, but Runway and Gemini ignore it: a thumbnail request returns the MP4.
 * - Statuses are the spec's four; `seconds` comes back a string; answers carry `extra_fields`.
 * - OpenAI's own video API is gone (2026-09-24): `openai/…` models answer 404 `model_not_found`.
 * - List without `?provider=` is refused (the unified handler needs it; the integration route sets none).
 * - The unified create is JSON only: `input_reference` a data URL string (a plain URL is dropped by the
 *   OpenAI and Gemini providers), `seconds` a string (a number fails decoding: "Invalid request
 *   payload"), and `negative_prompt`, `seed`, `audio`, which Gemini (Veo) receives as `negativePrompt`,
 *   `seed`, `generateAudio`; other keys pass on as extras.
 */
export class BifrostFake extends GatewayFake {
  protected readonly basePath = '/openai/v1';
  readonly keys = ['sk-bf-virtual-key-0123456789abcdef', 'sk-bf-other-team-key-0000000000'];

  static start(): Promise<BifrostFake> {
    return new BifrostFake().listen();
  }

  /** The base URL of Bifrost's own routes (the `bifrost` dialect's). */
  get unifiedURL(): string {
    return `${this.origin}/v1`;
  }

  protected route(request: GatewayRequest): Reply {
    const unified = /^\/v1(?=\/)/.test(request.rawPath);
    const path = request.rawPath.replace(/^(\/openai)?\/v1(?=\/)/, '');
    if (unified && path === '/videos' && request.method === 'POST') return this.createUnified(request);
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!key || !this.keys.includes(key))
      return bifrostError(401, 'invalid virtual key', { code: 'invalid_api_key', isBifrostError: true });
    if (path === '/models' && request.method === 'GET') {
      const data = ['runway/gen4_turbo', 'gemini/veo-3.1-generate-preview'].map((id) => ({
        id,
        object: 'model',
        created: 1,
        owned_by: 'bifrost',
      }));
      return json(200, { object: 'list', data });
    }
    if (path === '/videos' && request.method === 'POST') return this.create(request);
    if (path === '/videos' && request.method === 'GET') return this.list(request);
    const one = /^\/videos\/([^/]+)(\/content|\/remix)?$/.exec(path);
    if (!one) return bifrostError(404, `route ${request.method} ${request.rawPath} not found`, {});
    const scoped = decodeURIComponent(one[1]!);
    const colon = scoped.indexOf(':');
    if (colon <= 0 || colon === scoped.length - 1) return bifrostError(400, 'video_id must be in id:provider format', {});
    const provider = scoped.slice(colon + 1);
    const upstream = decodeURIComponent(scoped.slice(0, colon));
    const job = this.jobs.get(upstream);
    const type = one[2] === '/remix' ? 'video_remix' : !one[2] && request.method === 'DELETE' ? 'video_delete' : undefined;
    if (one[2] === '/remix' || (request.method === 'DELETE' && provider === 'gemini')) {
      return bifrostError(400, `${type} is not supported by ${provider} provider`, { code: 'unsupported_operation', provider });
    }
    if (!job) return bifrostError(404, `video ${upstream} not found`, { provider });
    if (!one[2] && request.method === 'GET') return json(200, this.answer(this.advance(job), provider));
    if (one[2] === '/content' && request.method === 'GET') {
      if (job.status !== 'completed') {
        return bifrostError(500, `video not ready, current status: ${job.status === 'in_progress' ? 'RUNNING' : 'PENDING'}`, {
          provider,
          isBifrostError: true,
        });
      }
      // The variant is passed on and ignored: Runway and Gemini have only the video.
      return { status: 200, type: 'video/mp4', body: this.content.bytes, headers: { 'content-length': String(this.content.bytes.length) } };
    }
    if (!one[2] && request.method === 'DELETE') {
      // Runway: delete cancels the task.
      this.jobs.delete(upstream);
      return json(200, { id: scoped, object: 'video.deleted', deleted: true, extra_fields: { provider, request_type: 'video_delete' } });
    }
    return bifrostError(404, `route ${request.method} ${request.rawPath} not found`, {});
  }

  private create(request: GatewayRequest): Reply {
    if (!request.form) return bifrostError(400, 'Invalid request payload: expected multipart/form-data', {});
    const form = request.form;
    const model = text(form.model, '');
    const slash = model.indexOf('/');
    if (slash <= 0) return bifrostError(400, 'model should be in provider/model format', {});
    const provider = model.slice(0, slash);
    const name = model.slice(slash + 1);
    const seconds = text(form.seconds, provider === 'runway' ? '5' : '8');
    const size = text(form.size, '1280x720');
    if (provider === 'openai') {
      return bifrostError(404, `The model \`${name}\` does not exist or you do not have access to it.`, {
        code: 'model_not_found',
        provider,
      });
    }
    if (provider === 'runway') {
      if (name === 'gen4_turbo' && !request.files.input_reference) {
        return bifrostError(400, 'runway: promptImage is required for gen4_turbo (image to video)', { provider, isBifrostError: true });
      }
      if (!['5', '10'].includes(seconds)) return bifrostError(400, 'runway: duration must be 5 or 10', { provider, isBifrostError: true });
    } else if (provider === 'gemini') {
      if (!['4', '6', '8'].includes(seconds))
        return bifrostError(400, `invalid seconds value: ${seconds}`, { provider, isBifrostError: true });
    } else {
      return bifrostError(400, `provider ${provider} is not configured`, { provider });
    }
    const job = this.startJob({
      id: provider === 'gemini' ? `models/${name}/operations/${this.jobs.size + 1}` : `task-${String(this.jobs.size + 1).padStart(8, '0')}`,
      model: name,
      prompt: text(form.prompt, ''),
      size,
      seconds,
      request: { ...form, ...(request.files.input_reference ? { input_reference: request.files.input_reference } : {}) },
    });
    job.request.upstream =
      provider === 'runway'
        ? { ratio: size.replace('x', ':'), duration: Number(seconds) }
        : { aspectRatio: ['720x1280', '1024x1792'].includes(size) ? '9:16' : '16:9', durationSeconds: Number(seconds) };
    return json(200, this.answer(job, provider));
  }

  private createUnified(request: GatewayRequest): Reply {
    if (!request.json || !request.contentType.startsWith('application/json')) return bifrostError(400, 'Invalid request payload', {});
    const body = request.json;
    if (body.seconds !== undefined && typeof body.seconds !== 'string') return bifrostError(400, 'Invalid request payload', {});
    if (body.input_reference !== undefined && typeof body.input_reference !== 'string')
      return bifrostError(400, 'Invalid request payload', {});
    const model = typeof body.model === 'string' ? body.model : '';
    const slash = model.indexOf('/');
    if (slash <= 0) return bifrostError(400, 'model should be in provider/model format', {});
    if (typeof body.prompt !== 'string' || body.prompt === '') return bifrostError(400, 'prompt cannot be empty', {});
    const provider = model.slice(0, slash);
    const name = model.slice(slash + 1);
    const seconds = body.seconds ?? (provider === 'runway' ? '5' : '8');
    if (provider === 'runway') {
      // The same Runway converter as the OpenAI routes (core/providers/runway/videos.go): a first frame, 5 or 10 seconds.
      const image = typeof body.input_reference === 'string' && body.input_reference.startsWith('data:') ? body.input_reference : undefined;
      if (name === 'gen4_turbo' && !image) {
        return bifrostError(400, 'runway: promptImage is required for gen4_turbo (image to video)', { provider, isBifrostError: true });
      }
      if (!['5', '10'].includes(seconds)) return bifrostError(400, 'runway: duration must be 5 or 10', { provider, isBifrostError: true });
      const size = typeof body.size === 'string' ? body.size : '1280x720';
      const job = this.startJob({
        id: `task-${String(this.jobs.size + 1).padStart(8, '0')}`,
        model: name,
        prompt: body.prompt,
        size,
        seconds,
        request: body,
      });
      job.request.upstream = { ratio: size.replace('x', ':'), duration: Number(seconds) };
      return json(200, this.answer(job, provider));
    }
    // Vertex takes Veo models only, through the same converter (core/providers/vertex: "only supported for Veo models").
    if (provider === 'vertex' && !name.startsWith('veo')) {
      return bifrostError(400, 'video generation is only supported for Veo models in Vertex', { provider, isBifrostError: true });
    }
    if (provider !== 'gemini' && provider !== 'vertex') return bifrostError(400, `provider ${provider} is not configured`, { provider });
    if (!['4', '6', '8'].includes(seconds))
      return bifrostError(400, `invalid seconds value: ${seconds}`, { provider, isBifrostError: true });
    const size = typeof body.size === 'string' ? body.size : '1280x720';
    const image = typeof body.input_reference === 'string' && body.input_reference.startsWith('data:') ? body.input_reference : undefined;
    const job = this.startJob({
      id: `models/${name}/operations/${this.jobs.size + 1}`,
      model: name,
      prompt: body.prompt,
      size,
      seconds,
      request: body,
    });
    // What Veo is sent (core/providers/gemini/videos.go): plain URLs give no image bytes, so they are dropped.
    job.request.upstream = {
      aspectRatio: ['720x1280', '1024x1792'].includes(size) ? '9:16' : '16:9',
      durationSeconds: Number(seconds),
      ...(image ? { image: { mimeType: /^data:([^;]+)/.exec(image)?.[1] } } : {}),
      ...(body.negative_prompt !== undefined ? { negativePrompt: body.negative_prompt } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      ...(body.audio !== undefined ? { generateAudio: body.audio } : {}),
    };
    return json(200, this.answer(job, provider));
  }

  private list(request: GatewayRequest): Reply {
    const provider = request.query.get('provider');
    if (!provider) return bifrostError(400, 'provider is required for listing videos (pass ?provider=)', {});
    return bifrostError(400, `video_list is not supported by ${provider} provider`, { code: 'unsupported_operation', provider });
  }

  private answer(job: UpstreamJob, provider: string) {
    return {
      id: `${encodeURIComponent(job.id)}:${provider}`,
      object: 'video',
      model: `${provider}/${job.model}`,
      status: job.status,
      progress: job.progress,
      prompt: job.prompt,
      seconds: job.seconds,
      size: job.size,
      created_at: job.createdAt,
      ...(job.status === 'completed' ? { completed_at: job.createdAt + 60 } : {}),
      ...(job.status === 'failed' ? { error: { code: 'FAILED', message: 'The task failed at the provider.' } } : {}),
      extra_fields: { request_type: 'video_generation', provider, model_requested: job.model, latency: 412 },
    };
  }
}

function bifrostError(status: number, message: string, options: { code?: string; provider?: string; isBifrostError?: boolean }): Reply {
  return json(status, {
    is_bifrost_error: options.isBifrostError ?? false,
    status_code: status,
    error: { message, ...(options.code ? { code: options.code } : {}) },
    extra_fields: options.provider ? { provider: options.provider } : {},
  });
}
