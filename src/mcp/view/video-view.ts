/**
 * The MCP Apps view of one video job (ui://sora2-mcp/video.html), running in the host's sandboxed
 * iframe. It follows the job by calling the retrieve tool through the host, at a backed-off pace;
 * when the job completes it saves and shows the thumbnail, then the playable video, then the
 * spritesheet as a strip to scrub, all read through the host in small pieces (the iframe reaches
 * neither file:// nor the provider). It offers remix and delete, and shows a failed job's message.
 */
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { VIEW_READ_MAX_BYTES, VIEW_READ_TOOL, VIEW_TOOLS } from '../view-contract';

type ToolNames = (typeof VIEW_TOOLS)[keyof typeof VIEW_TOOLS];
type Variant = 'video' | 'thumbnail' | 'spritesheet';

interface Job {
  id: string;
  status: string;
  progress: number;
  prompt?: string | null;
  model?: string;
  size?: string;
  seconds?: string;
  error?: { code?: string; message?: string } | null;
  /** What create or remix estimated, and what the provider reported the job cost. */
  estimated_cost_usd?: number | null;
  cost_usd?: number;
}

/** A sequence of shots, as the sequence tool returns it. */
interface Sequence {
  sequence_id: string;
  status: 'running' | 'failed' | 'completed';
  estimated_cost_usd: number | null;
  shots: {
    shot: number;
    prompt: string;
    video_id: string | null;
    status: string | null;
    progress: number | null;
    error?: { message?: string };
  }[];
  uri?: string;
  file?: string;
  duration_seconds?: number;
}

/** First status check after this long, then each wait grows by half, up to the longest. */
const FIRST_POLL_MS = 1500;
const LONGEST_POLL_MS = 10_000;

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  title: el('title'),
  status: el('status'),
  prompt: el('prompt'),
  model: el('model'),
  size: el('size'),
  seconds: el('seconds'),
  videoId: el('video-id'),
  cost: el('cost'),
  controls: el('controls'),
  controlsRow: el('controls-row'),
  progress: el<HTMLProgressElement>('progress'),
  error: el('error'),
  media: el('media'),
  thumbnail: el<HTMLImageElement>('thumbnail'),
  player: el<HTMLVideoElement>('player'),
  strip: el('strip'),
  spritesheet: el<HTMLImageElement>('spritesheet'),
  scrub: el<HTMLInputElement>('scrub'),
  files: el('files'),
  actions: el('actions'),
  remixPrompt: el<HTMLInputElement>('remix-prompt'),
  remix: el<HTMLButtonElement>('remix'),
  del: el<HTMLButtonElement>('delete'),
  confirm: el('confirm-delete'),
  delYes: el<HTMLButtonElement>('delete-yes'),
  delNo: el<HTMLButtonElement>('delete-no'),
  shots: el<HTMLOListElement>('shots'),
};

const app = new App({ name: 'sora2-mcp video view', version: '1.0.0' }, {}, { autoResize: true });
let tools: ToolNames = VIEW_TOOLS['openai-videos'];
let job: Job | undefined;
/** Bumped for every job followed: a poll or load for an earlier job stops instead of overwriting. */
let generation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function applyContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
  const name = context.toolInfo?.tool.name;
  if (name) tools = name.startsWith('openai-videos-') ? VIEW_TOOLS['openai-videos'] : VIEW_TOOLS.sora2;
}

function text(node: HTMLElement, value: string | null | undefined): void {
  node.textContent = value && value.length > 0 ? value : '–';
}

function showJob(next: Job): void {
  job = { ...job, ...next };
  ui.title.textContent = job.status === 'completed' ? 'Video ready' : job.status === 'failed' ? 'Video failed' : 'Rendering video';
  if (job.prompt) ui.prompt.textContent = job.prompt;
  text(ui.model, job.model);
  text(ui.size, job.size);
  text(ui.seconds, job.seconds ? `${job.seconds} s` : undefined);
  text(ui.videoId, job.id);
  text(ui.cost, costText(job));
  const progress = job.status === 'completed' ? 100 : Math.max(0, Math.min(100, Math.round(job.progress ?? 0)));
  ui.progress.value = progress;
  ui.progress.textContent = `${progress}%`;
  ui.status.textContent =
    job.status === 'completed'
      ? 'Completed'
      : job.status === 'failed'
        ? 'Failed'
        : `${job.status === 'queued' ? 'Queued' : 'Rendering'} · ${progress}%`;
  ui.error.hidden = job.status !== 'failed';
  if (job.status === 'failed') {
    ui.error.textContent = job.error?.message ? `${job.error.message}${job.error.code ? ` (${job.error.code})` : ''}` : 'The job failed.';
  }
  ui.actions.hidden = job.status !== 'completed';
}

/** "$0.78 (estimated $0.80)", "estimated $0.80", or nothing known. */
function costText(shown: Job): string | undefined {
  const money = (usd: number) => `$${usd.toFixed(2)}`;
  const estimate = typeof shown.estimated_cost_usd === 'number' ? shown.estimated_cost_usd : undefined;
  if (typeof shown.cost_usd === 'number')
    return estimate === undefined ? money(shown.cost_usd) : `${money(shown.cost_usd)} (estimated ${money(estimate)})`;
  if (estimate !== undefined) return `estimated ${money(estimate)}`;
  return shown.estimated_cost_usd === null ? 'no price known' : undefined;
}

/** The controls a create was made with, from its arguments, in a few words. */
function controlsText(args: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof args.input_reference === 'string') parts.push('a first frame');
  if (typeof args.last_frame === 'string') parts.push('a last frame');
  if (Array.isArray(args.reference_images)) parts.push(`${args.reference_images.length} reference image(s)`);
  if (typeof args.generate_audio === 'boolean') parts.push(args.generate_audio ? 'sound' : 'no sound');
  if (typeof args.seed === 'number') parts.push(`seed ${args.seed}`);
  if (typeof args.aspect_ratio === 'string' || typeof args.resolution === 'string')
    parts.push([args.aspect_ratio, args.resolution].filter((part) => typeof part === 'string').join(' at '));
  if (typeof args.negative_prompt === 'string') parts.push(`not: ${args.negative_prompt}`);
  if (args.provider_options && typeof args.provider_options === 'object') parts.push('provider options');
  return parts.join(', ');
}

function fail(message: string): void {
  ui.error.hidden = false;
  ui.error.textContent = message;
}

/** The sequence a tool result describes (a failed one is an error whose last text block is its JSON). */
function sequenceOf(result: CallToolResult): Sequence | undefined {
  let data = result.structuredContent as Record<string, unknown> | undefined;
  const last = result.content.at(-1);
  if (!data && last?.type === 'text') {
    try {
      data = JSON.parse(last.text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return data?.object === 'video.sequence' && typeof data.sequence_id === 'string' ? (data as unknown as Sequence) : undefined;
}

/** Shows a sequence: one line per shot, its progress as shots made, the joined video once there is one. */
function showSequence(sequence: Sequence): void {
  const count = sequence.shots.length;
  const made = sequence.shots.filter((shot) => shot.status === 'completed').length;
  ui.title.textContent =
    sequence.status === 'completed' ? 'Sequence ready' : sequence.status === 'failed' ? 'Sequence stopped' : `Making ${count} shots`;
  const current = sequence.shots.find((shot) => shot.status !== 'completed');
  ui.status.textContent =
    sequence.status === 'completed'
      ? `Completed · ${count} shots joined${sequence.duration_seconds ? ` · ${sequence.duration_seconds} s` : ''}`
      : current
        ? `Shot ${current.shot} of ${count}: ${current.status ?? 'waiting'}${current.progress === null ? '' : ` · ${current.progress}%`}`
        : `Joining ${count} shots`;
  ui.prompt.textContent = sequence.shots.map((shot) => shot.prompt).join(' / ');
  text(ui.videoId, sequence.sequence_id);
  text(ui.seconds, sequence.duration_seconds ? `${sequence.duration_seconds} s` : undefined);
  text(ui.cost, typeof sequence.estimated_cost_usd === 'number' ? `estimated $${sequence.estimated_cost_usd.toFixed(2)}` : undefined);
  const progress = Math.round((made / count) * 100);
  ui.progress.value = progress;
  ui.progress.textContent = `${progress}%`;
  ui.shots.hidden = false;
  ui.shots.replaceChildren(
    ...sequence.shots.map((shot) => {
      const item = document.createElement('li');
      item.dataset.status = shot.status ?? 'waiting';
      item.textContent =
        `Shot ${shot.shot}: ${shot.status ?? 'waiting'}${shot.progress === null || shot.status === 'completed' ? '' : ` (${shot.progress}%)`}` +
        `${shot.error?.message ? ` · ${shot.error.message}` : ''}`;
      return item;
    }),
  );
  ui.actions.hidden = true;
}

/** Follows a sequence by asking the sequence tool to advance it (as the agent would), then plays the joined video. */
function followSequence(sequence: Sequence): void {
  const mine = startOver();
  showSequence(sequence);
  if (sequence.status === 'completed') void playJoined(sequence, mine);
  else if (sequence.status === 'running') timer = setTimeout(() => void advance(sequence.sequence_id, mine, FIRST_POLL_MS), FIRST_POLL_MS);
}

async function advance(id: string, mine: number, delay: number): Promise<void> {
  if (mine !== generation) return;
  const result = await call(tools.sequence, { sequence_id: id }).catch((error: unknown) => {
    fail(`Checking the sequence failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (mine !== generation || !result) return;
  const next = sequenceOf(result);
  if (next) showSequence(next);
  if (result.isError) return fail(errorText(result));
  if (next?.status === 'completed') return void playJoined(next, mine);
  timer = setTimeout(() => void advance(id, mine, Math.min(LONGEST_POLL_MS, Math.round(delay * 1.5))), delay);
}

async function playJoined(sequence: Sequence, mine: number): Promise<void> {
  if (!sequence.uri) return;
  ui.media.hidden = false;
  try {
    const url = await dataUrl(sequence.uri, 'video/mp4');
    if (mine !== generation) return;
    ui.player.src = url;
    ui.player.hidden = false;
  } catch (error) {
    fail(`Loading the joined video failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The job a tool result describes (a Video, or the README set's download result). */
function jobOf(result: CallToolResult): Job | undefined {
  const data = result.structuredContent as Record<string, unknown> | undefined;
  if (!data) return undefined;
  if (typeof data.id === 'string' && typeof data.status === 'string') return data as unknown as Job;
  if (typeof data.video_id === 'string') return { id: data.video_id, status: 'completed', progress: 100 };
  return undefined;
}

function errorText(result: CallToolResult): string {
  const first = result.content.find((block) => block.type === 'text');
  return first && first.type === 'text' ? first.text : 'The call failed.';
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return app.callServerTool({ name, arguments: args });
}

/**
 * Forgets what was on show before a new job or sequence: the next generation (so answers about the old one are dropped),
 * no timer, no job, its media hidden. Returns the new generation.
 */
function startOver(): number {
  generation += 1;
  if (timer) clearTimeout(timer);
  job = undefined;
  ui.media.hidden = true;
  for (const node of [ui.thumbnail, ui.player, ui.strip]) node.hidden = true;
  return generation;
}

/** Follows `next` until it completes or fails, then loads its media. */
function follow(next: Job): void {
  const mine = startOver();
  ui.shots.hidden = true;
  ui.files.replaceChildren();
  showJob(next);
  if (next.status === 'completed') void loadMedia(mine);
  else if (next.status !== 'failed') schedule(mine, FIRST_POLL_MS);
}

function schedule(mine: number, delay: number): void {
  timer = setTimeout(() => void poll(mine, delay), delay);
}

async function poll(mine: number, delay: number): Promise<void> {
  if (mine !== generation || !job) return;
  const result = await call(tools.retrieve, { video_id: job.id }).catch((error: unknown) => {
    fail(`Checking the job failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (mine !== generation) return;
  if (result?.isError) {
    // An answer that is an error (the job was deleted elsewhere, the key was revoked) will not change by asking again.
    fail(errorText(result));
    return;
  }
  const next = result ? jobOf(result) : undefined;
  if (next) showJob(next);
  if (job?.status === 'completed') return void loadMedia(mine);
  if (job?.status === 'failed') return;
  schedule(mine, Math.min(LONGEST_POLL_MS, Math.round(delay * 1.5)));
}

/**
 * Saves `variant` with the download tool under a name of the view's own (the job's id and the variant, so no variant can
 * replace another), replacing only the view's earlier copy of the same file, and returns its link.
 */
async function save(variant: Variant, mine: number): Promise<{ uri: string; name: string; mimeType: string } | undefined> {
  const id = job!.id;
  const file = `${id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 120)}_${variant}`;
  const result = await call(tools.download, {
    video_id: id,
    variant,
    overwrite: true,
    ...(tools.download === VIEW_TOOLS.sora2.download ? {} : { file }),
  });
  if (mine !== generation) return undefined; // a newer job is on show now
  if (result.isError) {
    // A provider that serves only the video (OpenRouter, LLM Gateway) has no thumbnail: that is no failure.
    if (/\(code: variant_unavailable\)$/.test(errorText(result))) return undefined;
    fail(errorText(result));
    return undefined;
  }
  // The resource_link, or (the README set's download_video, when it inlines a small file) its structured fields.
  const block = result.content.find((entry) => entry.type === 'resource_link');
  const link = block?.type === 'resource_link' ? block : undefined;
  const data = (result.structuredContent ?? {}) as { uri?: string; file?: string; mime_type?: string };
  const uri = link?.uri ?? data.uri;
  if (!uri) return undefined;
  const name = link?.name ?? data.file?.split(/[\\/]/).pop() ?? variant;
  showSaved(variant, name);
  return { uri, name, mimeType: link?.mimeType ?? data.mime_type ?? 'application/octet-stream' };
}

/** One line per saved variant, with a button that saves it again (after the file was moved or deleted, say). */
function showSaved(variant: Variant, name: string): void {
  let item = ui.files.querySelector<HTMLLIElement>(`li[data-variant="${variant}"]`);
  if (!item) {
    item = document.createElement('li');
    item.dataset.variant = variant;
    ui.files.append(item);
  }
  const label = document.createElement('span');
  label.textContent = `${variant}: saved as ${name}`;
  const again = document.createElement('button');
  again.type = 'button';
  again.textContent = 'Save again';
  again.setAttribute('aria-label', `Save the ${variant} again`);
  again.addEventListener('click', () => {
    again.disabled = true;
    void save(variant, generation)
      .catch((error: unknown) => fail(`Saving failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (again.disabled = false));
  });
  item.replaceChildren(label, again);
}

/** The item's bytes as a data: URL (the spec's default CSP allows data: media), read in pieces through the host. */
async function dataUrl(uri: string, mimeType: string): Promise<string> {
  const parts: string[] = [];
  let offset = 0;
  let total = Infinity;
  while (offset < total) {
    const result = await call(VIEW_READ_TOOL, { uri, offset, length: VIEW_READ_MAX_BYTES });
    if (result.isError) throw new Error(errorText(result));
    const piece = result.structuredContent as { length: number; total_bytes: number; data_base64: string };
    if (piece.length === 0) break;
    parts.push(piece.data_base64);
    total = piece.total_bytes;
    offset += piece.length;
  }
  return `data:${mimeType};base64,${parts.join('')}`;
}

async function loadMedia(mine: number): Promise<void> {
  ui.media.hidden = false;
  try {
    for (const variant of ['thumbnail', 'video', 'spritesheet'] as const) {
      if (mine !== generation) return;
      const saved = await save(variant, mine);
      if (!saved || mine !== generation) continue;
      ui.status.textContent = `Completed · loading the ${variant}…`;
      const url = await dataUrl(saved.uri, saved.mimeType);
      if (mine !== generation) return;
      if (variant === 'thumbnail') {
        ui.thumbnail.src = url;
        ui.thumbnail.hidden = false;
      } else if (variant === 'video') {
        ui.player.src = url;
        ui.player.poster = ui.thumbnail.src;
        ui.player.hidden = false;
        ui.thumbnail.hidden = true;
      } else {
        ui.spritesheet.src = url;
        ui.strip.hidden = false;
      }
    }
    ui.status.textContent = 'Completed';
  } catch (error) {
    fail(`Loading the result failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// The strip scrolls with the slider, and the video follows it.
ui.scrub.addEventListener('input', () => {
  const fraction = Number(ui.scrub.value) / 1000;
  const overflow = ui.spritesheet.scrollWidth - (ui.spritesheet.parentElement?.clientWidth ?? 0);
  ui.spritesheet.style.transform = `translateX(${-Math.max(0, overflow) * fraction}px)`;
  if (Number.isFinite(ui.player.duration)) ui.player.currentTime = fraction * ui.player.duration;
});

function remix(): void {
  const prompt = ui.remixPrompt.value.trim();
  if (!job || prompt === '') {
    ui.remixPrompt.focus();
    return;
  }
  ui.remix.disabled = true;
  void call(tools.remix, { video_id: job.id, prompt })
    .then((result) => {
      const next = result.isError ? undefined : jobOf(result);
      if (!next) return fail(errorText(result));
      ui.remixPrompt.value = '';
      follow({ ...next, prompt });
    })
    .catch((error: unknown) => fail(`Remixing failed: ${error instanceof Error ? error.message : String(error)}`))
    .finally(() => (ui.remix.disabled = false));
}
ui.remix.addEventListener('click', remix);
ui.remixPrompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') remix();
});

ui.del.addEventListener('click', () => {
  ui.del.hidden = true;
  ui.confirm.hidden = false;
  ui.delNo.focus();
});
ui.delNo.addEventListener('click', () => {
  ui.confirm.hidden = true;
  ui.del.hidden = false;
  ui.del.focus();
});
ui.delYes.addEventListener('click', () => {
  if (!job) return;
  ui.delYes.disabled = true;
  void call(tools.delete, { video_id: job.id })
    .then((result) => {
      if (result.isError) return fail(errorText(result));
      generation += 1;
      ui.title.textContent = 'Video deleted';
      ui.status.textContent = `Deleted ${job?.id ?? ''} at the provider; saved files are kept.`;
      ui.actions.hidden = true;
    })
    .catch((error: unknown) => fail(`Deleting failed: ${error instanceof Error ? error.message : String(error)}`))
    .finally(() => (ui.delYes.disabled = false));
});

app.ontoolinput = ({ arguments: args }) => {
  const input = args ?? {};
  if (typeof input.prompt === 'string' && !job?.prompt) ui.prompt.textContent = input.prompt;
  const made = controlsText(input);
  ui.controlsRow.hidden = made === '';
  ui.controls.textContent = made;
};
app.ontoolresult = (result) => {
  const sequence = sequenceOf(result);
  if (sequence) {
    followSequence(sequence);
    if (result.isError) fail(errorText(result));
    return;
  }
  if (result.isError) return fail(errorText(result));
  const next = jobOf(result);
  if (next) follow(next);
};
app.onhostcontextchanged = (context) => applyContext(context);

void app.connect().then(() => applyContext(app.getHostContext()));
