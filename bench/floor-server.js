#!/usr/bin/env node
// The floor for start-up: a minimal SDK v2 McpServer with one tool, served by serveStdio (both protocol generations),
// on the same SDK and zod as sora2-mcp.
'use strict';
const { McpServer } = require('@modelcontextprotocol/server');
const { serveStdio } = require('@modelcontextprotocol/server/stdio');
const { z } = require('zod');

serveStdio(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
});
