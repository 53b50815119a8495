import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startBuiltHttp, type RunningHttp } from '../support/http-server';
import { tempFolder } from '../support/temp';

const ROOT = path.resolve(__dirname, '../..');
const BASELINE = path.join(ROOT, 'conformance-baseline.yml');
/** The official suite, pinned; it needs Node 22, which npx takes from the npm registry's `node` package (cached by the pretest). */
const SUITE = ['--prefer-offline', '-y', '-p', 'node@22', '-p', '@modelcontextprotocol/conformance@0.1.16', '--', 'conformance'];

/**
 * The expected failures, as reviewed: each needs the suite's fixture tools, resources or prompts, or a capability the
 * server does not offer (see the reasons in conformance-baseline.yml). A new entry must be added here too, on purpose.
 */
const REVIEWED_BASELINE = [
  'completion-complete',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-with-logging',
  'tools-call-with-progress',
  'tools-call-sampling',
  'tools-call-elicitation',
  'elicitation-sep1034-defaults',
  'elicitation-sep1330-enums',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'resources-subscribe',
  'resources-unsubscribe',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
];

describe('the official MCP conformance suite against sora2-mcp http --no-auth (simulator)', () => {
  let folder: ReturnType<typeof tempFolder>;
  let server: RunningHttp;
  beforeAll(async () => {
    folder = tempFolder();
    server = await startBuiltHttp(['--port', '0', '--no-auth'], { SORA2_MCP_PROVIDER: 'simulator', MEDIA_GEN_DIRS: folder.path });
  });
  afterAll(async () => {
    await server.close();
    folder.remove();
  });

  it('keeps the baseline to the reviewed list, each entry with its reason, and none of the scenarios that must pass', () => {
    const text = readFileSync(BASELINE, 'utf8');
    const entries = (parseYaml(text) as { server: string[] }).server;
    expect(entries).toEqual(REVIEWED_BASELINE);
    const lines = text.split('\n');
    for (const entry of entries) {
      const at = lines.findIndex((line) => line.trim() === `- ${entry}`);
      expect(lines[at - 1]).toMatch(/^\s*# (Needs|Needs the)/);
    }
    for (const required of ['server-initialize', 'ping', 'tools-list', 'logging-set-level', 'resources-list', 'dns-rebinding-protection']) {
      expect(entries).not.toContain(required);
    }
    expect(entries.some((entry) => entry.startsWith('server-sse'))).toBe(false);
  });

  it('passes every scenario outside the baseline (and the baseline has no stale entry)', async () => {
    const output = path.join(ROOT, '.tmp', `conformance-${process.pid}`);
    const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        'npx',
        [...SUITE, 'server', '--url', server.url, '--expected-failures', BASELINE, '-o', output],
        { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    const summary = result.stdout.slice(result.stdout.indexOf('=== SUMMARY ==='));
    expect({ code: result.code, summary }).toEqual({ code: 0, summary: expect.stringContaining('Baseline check passed') });
    for (const scenario of [
      'server-initialize',
      'ping',
      'tools-list',
      'logging-set-level',
      'resources-list',
      'server-sse-multiple-streams',
      'dns-rebinding-protection',
    ]) {
      expect(summary).toMatch(new RegExp(`✓ ${scenario}: \\d+ passed, 0 failed`));
    }
  }, 180_000);
});
