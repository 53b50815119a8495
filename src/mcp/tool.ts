import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ProgressListener } from '../application/progress';

export interface ToolContext {
  signal: AbortSignal;
  /** Present when the client sent a progressToken. */
  onProgress?: ProgressListener;
}

/** One MCP tool: its public contract and a thin handler (parse, call one use case, present). */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  /** The MCP Apps view that renders this tool's results (`_meta.ui.resourceUri`), when there is one. */
  view?: string;
  handle(args: z.output<Input>, context: ToolContext): Promise<CallToolResult>;
}

export function defineTool<Input extends z.ZodObject>(definition: ToolDefinition<Input>): ToolDefinition {
  return definition;
}
