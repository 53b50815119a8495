import type { CallToolResult, McpServer, ServerContext, StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { VideoJobResult } from '../application/job-result';
import type { MediaCatalog } from './media-catalog';
import { DEFAULT_USER, type JobOwnership } from '../application/job-ownership';
import type { SpendingLedger } from '../application/spending-ledger';
import type { ProgressListener } from '../application/progress';
import type { CancelVideo } from '../application/use-cases/cancel-video';
import type { CreateVideo } from '../application/use-cases/create-video';
import type { CreateSequence } from '../application/use-cases/create-sequence';
import type { EditVideos } from '../application/use-cases/edit-videos';
import type { DownloadContent } from '../application/use-cases/download-content';
import type { ListModels } from '../application/use-cases/list-models';
import type { RemixVideo } from '../application/use-cases/remix-video';
import type { VideoJobs } from '../application/use-cases/video-jobs';
import { isFrozenDeep } from '../domain/immutable';
import type { Vocabulary } from './error-words';
import { describeInvalidArguments } from './input-errors';
import { IMAGE_PREVIEW_MAX_BYTES } from './limits';
import type { Presenter } from './presenter';

/*
 * What an operation and a tool are, and how a tool is put on a server: the one place for the tool plumbing.
 * An operation (operations/*.ts) is defined once; a tool set (toolsets.ts) names it; `registerTool` puts it on
 * each MCP server the SDK asks for (one per stdio connection, one per stateless HTTP request).
 */

/** The use cases and the presenter an operation runs with. */
export interface UseCases {
  create: CreateVideo;
  remix: RemixVideo;
  /** Retrieve, list and delete: the caller's jobs, read and removed under the ownership rules. */
  jobs: VideoJobs;
  cancel: CancelVideo;
  download: DownloadContent;
  models: ListModels;
  media: MediaCatalog;
  presenter: Presenter;
  /** What is left of each budget (the models tool and job results say it). */
  ledger: SpendingLedger;
  /** Which saved files are the caller's (resources, the view's reader). */
  ownership: JobOwnership;
  /** Frames and joins (ffmpeg): present where ffmpeg was found and files are kept in folders. */
  edits?: EditVideos;
  sequence?: CreateSequence;
}

/** What a tool set may change about an operation's inputs: only their defaults. */
export interface InputDefaults {
  model?: string;
  size?: string;
  seconds?: string;
  limit?: number;
  order?: 'asc' | 'desc';
}

/** The four behaviour hints, all stated explicitly. */
export interface Hints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Starts a paid job, or writes files (never replacing one unless overwrite is true). */
export const writesFiles: Hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
/** Makes a file from saved ones, here: nothing goes to the provider or the network. */
export const writesLocalFiles: Hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
export const reads: Hints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

/** A field with a tool set's default, or optional when the set gives none. */
export const withDefault = <T extends z.ZodType>(schema: T, value: unknown) =>
  value === undefined ? schema.optional() : schema.default(value as never);

export interface ToolContext {
  signal: AbortSignal;
  /** The user the call acts for (HTTP: who the token names; stdio: the one user). */
  caller?: string;
  /** Present when the client sent a progressToken. */
  onProgress?: ProgressListener;
}

/**
 * One operation, defined once, in a file of its own: its title and description (in the words of the tool set
 * that offers it: its own tool names), its inputs (given the set's defaults), its output schema, its behaviour
 * hints and the call it makes.
 */
export interface Operation<Input extends z.ZodObject = z.ZodObject> {
  title: string;
  /** What the tool does and how to use it, naming the tool set's own tools. */
  describe(words: Vocabulary): string;
  /** Its results open the video view in hosts that render MCP Apps. */
  view?: boolean;
  input(defaults: InputDefaults, words: Vocabulary): Input;
  outputSchema: z.ZodObject;
  hints: Hints;
  run(useCases: UseCases, args: z.output<Input>, context: ToolContext): Promise<CallToolResult>;
}

export function defineOperation<Input extends z.ZodObject>(operation: Operation<Input>): Operation {
  return operation;
}

/** One MCP tool: an operation under a tool set's name, with that set's defaults and words. */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  /** The MCP Apps view that renders this tool's results (`_meta.ui.resourceUri`), when there is one. */
  view?: string;
  /** Called only by its view (`_meta.ui.visibility: ["app"]`), and listed only to clients that render apps. */
  appOnly?: boolean;
  handle(args: unknown, context: ToolContext): Promise<CallToolResult>;
}

/** A job's result, with small saved images shown inline so the model can look at them. */
export async function presentJob(u: UseCases, result: VideoJobResult, spending?: ToolContext) {
  const previews = await u.media.previews(result.files, IMAGE_PREVIEW_MAX_BYTES, (file) => file.mimeType.startsWith('image/'));
  // A job that costs money says what is left of each budget after it (a ledger that cannot answer says nothing).
  const budget = result.budget ?? (spending && (await u.ledger.left(spending.caller ?? DEFAULT_USER).catch(() => undefined)));
  return u.presenter.job(result, previews, budget);
}

/**
 * Registers a tool on one MCP server. The SDK is given the tool's schemas through Standard Schema (its public
 * seam for schemas): their JSON Schema is made once per tool, not once per server (the HTTP server builds a server
 * per request), and arguments pass through its check untouched, so that the handler checks them with the zod
 * schema and refuses them in the server's own voice (field, what was wrong, the fix, the code) rather than the
 * SDK's "Input validation error: …" (ADR 0017).
 */
export function registerTool(server: McpServer, tool: ToolDefinition, meta: Record<string, unknown> | undefined, wrap: CallWrapper): void {
  const config = {
    title: tool.title,
    description: tool.description,
    inputSchema: passThrough(tool),
    outputSchema: checked(tool.outputSchema),
    annotations: tool.annotations,
    ...(meta ? { _meta: meta } : {}),
  };
  server.registerTool(tool.name, config, async (args: unknown, ctx: ServerContext) => {
    const parsed = tool.inputSchema.safeParse(args ?? {});
    if (!parsed.success) return refused(describeInvalidArguments(parsed.error, tool.inputSchema));
    return wrap(ctx, (context) => tool.handle(parsed.data, context));
  });
}

/**
 * A tool as `tools/list` shows it, in the SDK's own field order: made from the definition and its cached JSON
 * Schemas, so a list is made once per kind of client rather than once per request.
 */
export function listedTool(tool: ToolDefinition, meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const target = { target: 'draft-2020-12' } as const;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: passThrough(tool)['~standard'].jsonSchema.input(target),
    annotations: tool.annotations,
    ...(meta ? { _meta: meta } : {}),
    outputSchema: checked(tool.outputSchema)['~standard'].jsonSchema.output(target),
  };
}

/** Runs a tool call with its context (progress, cancellation, logging), as the server that registers it decides. */
export type CallWrapper = (ctx: ServerContext, call: (context: ToolContext) => Promise<CallToolResult>) => Promise<CallToolResult>;

function refused(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

type Json = Record<string, unknown>;
const outputs = new WeakMap<z.ZodType, StandardSchemaWithJSON>();

/**
 * JSON Schema conversions of a zod schema (or of the schema a function makes, when first needed), each made once (per
 * direction and target) and then reused.
 */
function jsonOf(schemaOf: z.ZodType | (() => z.ZodType)) {
  const made = new Map<string, Json>();
  const convert = (direction: 'input' | 'output') => (options: { target: string }) => {
    const key = `${direction} ${options.target}`;
    let json = made.get(key);
    if (!json) {
      const schema = typeof schemaOf === 'function' ? schemaOf() : schemaOf;
      json = (schema['~standard'] as unknown as { jsonSchema: Record<typeof direction, (o: typeof options) => Json> }).jsonSchema[
        direction
      ](options);
      made.set(key, json);
    }
    return json;
  };
  return { input: convert('input'), output: convert('output') };
}

const inputs = new WeakMap<ToolDefinition, StandardSchemaWithJSON>();

/**
 * A tool's input schema as the SDK advertises it, with a check that lets every value through (the handler checks it).
 * Nothing of the schema is made until it is needed (a call, or a list not made at build time): start-up makes none.
 */
function passThrough(tool: ToolDefinition): StandardSchemaWithJSON {
  let made = inputs.get(tool);
  if (!made) {
    made = {
      '~standard': {
        version: 1,
        vendor: 'sora2-mcp',
        validate: (value: unknown) => ({ value }),
        jsonSchema: jsonOf(() => tool.inputSchema),
      },
    };
    inputs.set(tool, made);
  }
  return made;
}

/**
 * The schema as the SDK advertises and checks it (outputs), its JSON Schema made once. A deeply frozen value (an answer
 * made once and served many times) that passed the check once passes again without it: it cannot have changed.
 */
function checked(schema: z.ZodObject): StandardSchemaWithJSON {
  let made = outputs.get(schema);
  if (!made) {
    const check = schema['~standard'].validate;
    const passed = new WeakSet<object>();
    const validate = (value: unknown): ReturnType<typeof check> => {
      const frozen = isFrozenDeep(value);
      if (frozen && passed.has(value as object)) return { value: value as never };
      const verdict = check(value);
      if (frozen && !(verdict instanceof Promise) && !verdict.issues) passed.add(value as object);
      return verdict;
    };
    made = { '~standard': { version: 1, vendor: 'zod', validate, jsonSchema: jsonOf(schema) } };
    outputs.set(schema, made);
  }
  return made;
}
