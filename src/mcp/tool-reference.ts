import { z } from 'zod';
import type { ToolDefinition } from './tools';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

/**
 * Renders docs/tools.md from the tools' real schemas (the same ones `tools/list` serves), so the
 * reference cannot drift: a test regenerates it and compares.
 */
export function renderToolReference(sets: { name: string; env: string; tools: readonly ToolDefinition[] }[]): string {
  const lines = [
    '# Tool reference',
    '',
    '<!-- Generated from the tool schemas by `npm run docs:tools`; test/unit/tool-reference.test.ts fails when it is stale. -->',
    '',
    'Every tool returns `structuredContent` (checked against its output schema) and `content`: one `resource_link` per saved file (plus an',
    '`image` block for small thumbnails and spritesheets), a short summary, and a last text block with the JSON of `structuredContent`.',
    'Errors are `isError` results whose text names the problem and the fix and ends with `(code: …)`.',
    '',
  ];
  for (const set of sets) {
    lines.push(`## Tool set \`${set.name}\` (${set.env})`, '');
    for (const tool of set.tools) lines.push(...renderTool(tool));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderTool(tool: ToolDefinition): string[] {
  const input = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as JsonSchema;
  const output = z.toJSONSchema(tool.outputSchema, { io: 'output' }) as JsonSchema;
  const hints = tool.annotations;
  const flag = (value: boolean | undefined) => (value ? 'yes' : 'no');
  const lines = [
    `### \`${tool.name}\`: ${tool.title}`,
    '',
    tool.description,
    '',
    `Read-only: ${flag(hints.readOnlyHint)} · destructive: ${flag(hints.destructiveHint)} · idempotent: ${flag(hints.idempotentHint)} · open world: ${flag(hints.openWorldHint)}` +
      (tool.view ? ` · MCP Apps view: \`${tool.view}\`` : ''),
    '',
    '| input | type | required | default | description |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, schema] of Object.entries(input.properties ?? {})) {
    const required = input.required?.includes(name) && schema.default === undefined;
    lines.push(
      `| \`${name}\` | ${typeOf(schema)} | ${required ? 'yes' : 'no'} | ${schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``} | ${cell(schema.description)} |`,
    );
  }
  lines.push(
    '',
    `Output (\`structuredContent\`): ${Object.entries(output.properties ?? {})
      .map(([name, schema]) => `\`${name}\` (${typeOf(schema)})`)
      .join(', ')}.`,
    '',
  );
  return lines;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
  const range = schema.minimum !== undefined || schema.maximum !== undefined ? ` (${schema.minimum ?? ''}–${schema.maximum ?? ''})` : '';
  return `${type}${range}`;
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
