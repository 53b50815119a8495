import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
const url = process.argv[2]; const tool = process.argv[3] ?? 'openai-videos-models'; const jobs = process.argv[4] === 'jobs';
const clients = [];
for (let i = 0; i < 20; i++) { const c = new Client({ name: 'b' + i, version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }); await c.connect(new StreamableHTTPClientTransport(new URL(url))); await c.callTool({ name: tool, arguments: {} }); clients.push(c); }
const lat = []; const calls = [];
for (const [i, c] of clients.entries()) {
  for (let j = 0; j < 8; j++) calls.push((async () => { const s = performance.now(); await c.callTool({ name: tool, arguments: {} }); lat.push(performance.now() - s); })());
  if (jobs) {
    const args = { prompt: `load ${i}`, size: '256x144', seconds: '1', wait_for_completion: true, download_variants: [] };
    calls.push(c.callTool({ name: 'openai-videos-create', arguments: args }, { timeout: 120000 }));
    const ac = new AbortController();
    calls.push(c.callTool({ name: 'openai-videos-create', arguments: { ...args, prompt: `cancelled ${i}` } }, { signal: ac.signal, timeout: 120000 }).catch(() => undefined));
    setTimeout(() => ac.abort(), 200);
  }
}
await Promise.all(calls);
lat.sort((a, b) => a - b); console.log('p50', lat[lat.length >> 1].toFixed(0), 'p99', lat[Math.floor(lat.length * 0.99)].toFixed(0));
process.exit(0);
