#!/usr/bin/env node
// The floor for start-up: a minimal McpServer with one tool, on the same SDK and zod as sora2-mcp.
'use strict';
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { z } = require('zod');

const server = new McpServer({ name: 'floor', version: '1.0.0' });
server.registerTool('echo', { description: 'Echoes its input.', inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: 'text', text }],
}));
server.connect(new StdioServerTransport());
