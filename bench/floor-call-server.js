#!/usr/bin/env node
// The floor for call overhead: a minimal SDK v2 McpServer whose one tool calls openai.videos.retrieve directly.
'use strict';
const { McpServer } = require('@modelcontextprotocol/server');
const { serveStdio } = require('@modelcontextprotocol/server/stdio');
const { z } = require('zod');
const OpenAI = require('openai');

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });
serveStdio(() => {
  const server = new McpServer({ name: 'floor-call', version: '1.0.0' });
  server.registerTool(
    'retrieve',
    { description: 'Retrieves a video.', inputSchema: z.object({ video_id: z.string() }) },
    async ({ video_id }) => ({
      content: [{ type: 'text', text: JSON.stringify(await client.videos.retrieve(video_id)) }],
    }),
  );
  return server;
});
