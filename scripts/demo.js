#!/usr/bin/env node
/*
 * The two-minute tour: starts the built server over stdio with the offline simulator and drives it
 * as a real MCP client through the recommended workflow (create with waiting and a progress bar,
 * list, download the three variants, remix), then prints where the files are. No key, no network.
 */
'use strict';
const path = require('node:path');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');

const output = path.resolve(process.env.DEMO_OUTPUT_DIR || 'demo-output');
// Each run saves into a folder of its own, so a second run never meets the first one's files.
const run = new Date()
  .toISOString()
  .replace(/\.\d+Z$/, '')
  .replace(/:/g, '-');
const tty = process.stdout.isTTY;

function bar(label) {
  let lastLine = -10;
  return (update) => {
    const pct = Math.min(100, Math.round((100 * update.progress) / (update.total || 100)));
    const filled = Math.round(pct / 4);
    const line = `  ${label} [${'#'.repeat(filled)}${'.'.repeat(25 - filled)}] ${String(pct).padStart(3)}%  ${update.message || ''}`;
    if (tty) process.stdout.write(`\r${line.padEnd(100).slice(0, 100)}`);
    else if (pct >= lastLine + 10 || (pct === 100 && lastLine < 100)) {
      lastLine = pct;
      console.log(line);
    }
  };
}

async function call(client, name, args, label) {
  const result = await client.callTool(
    { name, arguments: args },
    undefined,
    label ? { onprogress: bar(label), resetTimeoutOnProgress: true, timeout: 120000 } : undefined,
  );
  if (label && tty) process.stdout.write('\n');
  if (result.isError) throw new Error(`${name} failed: ${result.content.map((block) => block.text || '').join(' ')}`);
  return result;
}

const links = (result) => result.content.filter((block) => block.type === 'resource_link');

async function main() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.resolve(__dirname, '..', 'build', 'index.js')],
    env: {
      PATH: process.env.PATH || '',
      SORA2_MCP_PROVIDER: 'simulator',
      MEDIA_GEN_DIRS: output,
      SORA2_MCP_SIMULATOR_RENDER_MS: process.env.SORA2_MCP_SIMULATOR_RENDER_MS || '3000',
    },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'sora2-mcp-demo', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    console.log(
      `Connected to ${client.getServerVersion().name} ${client.getServerVersion().version} (simulator, offline). Tools: ${tools.map((t) => t.name).join(', ')}\n`,
    );

    console.log('1. openai-videos-create, waiting for the render:');
    const created = await call(
      client,
      'openai-videos-create',
      {
        prompt: 'A paper boat drifts down a rain-soaked street at dusk, neon reflections rippling around it',
        size: '1280x720',
        seconds: '4',
        wait_for_completion: true,
        poll_interval_ms: 500,
        file: `${run}/paper-boat`,
      },
      'rendering',
    );
    const video = created.structuredContent;
    console.log(
      `   ${video.id}: ${video.status}, saved ${links(created)
        .map((l) => l.name)
        .join(', ')}\n`,
    );

    console.log('2. openai-videos-list:');
    const page = await call(client, 'openai-videos-list', { limit: 5 });
    for (const item of page.structuredContent.data)
      console.log(`   ${item.id}  ${item.status.padEnd(11)} ${item.size} ${item.seconds}s  ${String(item.prompt).slice(0, 50)}`);
    console.log();

    // The video was saved by step 1: one file per variant per job, so only the other two are fetched here.
    console.log('3. openai-videos-download-content, the thumbnail and the spritesheet:');
    const files = [];
    for (const variant of ['thumbnail', 'spritesheet']) {
      const result = await call(client, 'openai-videos-download-content', {
        video_id: video.id,
        variant,
        file: `${run}/paper-boat-${variant}`,
      });
      for (const link of links(result)) {
        files.push(link);
        console.log(`   ${variant.padEnd(11)} ${link.mimeType.padEnd(10)} ${String(link.size).padStart(9)} bytes  ${link.uri}`);
      }
    }
    console.log();

    console.log('4. openai-videos-remix, waiting again:');
    const remix = await call(
      client,
      'openai-videos-remix',
      {
        video_id: video.id,
        prompt: 'The same street, now in falling snow',
        wait_for_completion: true,
        poll_interval_ms: 500,
        download_variants: ['video', 'thumbnail'],
        file: `${run}/paper-boat-snow`,
      },
      'remixing',
    );
    console.log(
      `   ${remix.structuredContent.id} (remix of ${remix.structuredContent.remixed_from_video_id}): saved ${links(remix)
        .map((l) => l.name)
        .join(', ')}\n`,
    );

    console.log(`Done. Your files are in ${path.join(output, run)}:`);
    for (const link of [...links(created), ...files, ...links(remix)]) console.log(`   ${link.name}`);
    console.log(
      '\nThese are simulator media (a labelled title card). Point OPENAI_BASE_URL and SORA2_MCP_API_KEY at a real provider for real videos.',
    );
  } finally {
    await client.close();
  }
}

main().catch((error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exitCode = 1;
});
