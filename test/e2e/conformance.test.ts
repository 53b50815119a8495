import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startBuiltHttp, type RunningHttp } from '../support/http-server';
import { tempFolder } from '../support/temp';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The official suites, pinned, one per protocol generation the server speaks: 0.1.16 for 2025-11-25 and
 * 0.2.0-alpha.12's frozen 2026-07-28 requirement set. They need Node 22, which npx takes from the npm registry's
 * `node` package (cached by the pretest).
 */
const SUITES = [
  {
    generation: '2025-11-25',
    package: '@modelcontextprotocol/conformance@0.1.16',
    args: [],
    baseline: 'conformance-baseline.yml',
    /** Scenarios that must pass whole: none of them may be in the baseline, even by one check. */
    mustPass: ['server-initialize', 'ping', 'tools-list', 'logging-set-level', 'resources-list', 'dns-rebinding-protection'],
  },
  {
    generation: '2026-07-28',
    package: '@modelcontextprotocol/conformance@0.2.0-alpha.12',
    args: ['--requirements', '2026-07-28'],
    baseline: 'conformance-baseline-2026-07-28.yml',
    mustPass: ['server-stateless', 'tools-list', 'resources-list', 'dns-rebinding-protection', 'caching', 'sep-2164-resource-not-found'],
  },
] as const;

/**
 * The expected failures, as reviewed: each needs the suite's fixture tools, resources or prompts, or a capability the
 * server does not offer (see the reasons in the baseline files). A new entry must be added here too, on purpose. A
 * must-pass scenario may appear only as one of its checks, and only where that check needs a fixture of the suite's.
 */
const REVIEWED: Record<(typeof SUITES)[number]['generation'], string[]> = {
  '2025-11-25': [
    'completion-complete',
    'tools-call-simple-text',
    'tools-call-image',
    'tools-call-audio',
    'tools-call-embedded-resource',
    'tools-call-mixed-content',
    'tools-call-with-logging',
    'tools-call-with-progress',
    'tools-call-error',
    'tools-call-sampling',
    'tools-call-elicitation',
    'elicitation-sep1034-defaults',
    'elicitation-sep1330-enums',
    'server-sse-multiple-streams',
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
  ],
  '2026-07-28': [
    'server-stateless:sep-2575-server-rejects-undeclared-capability',
    'server-stateless:sep-2575-missing-capability-http-400',
    'server-stateless:sep-2575-http-server-no-independent-requests-on-stream',
    'server-stateless:sep-2575-server-no-log-without-loglevel',
    'server-stateless:sep-2575-server-sends-tools-list-changed-on-subscription',
    'caching:sep-2549-prompts-list-caching-hints',
    'completion-complete',
    'tools-call-simple-text',
    'tools-call-image',
    'tools-call-audio',
    'tools-call-embedded-resource',
    'tools-call-mixed-content',
    'tools-call-error',
    'tools-call-with-progress',
    'resources-read-text',
    'resources-read-binary',
    'resources-templates-read',
    'prompts-list',
    'prompts-get-simple',
    'prompts-get-with-args',
    'prompts-get-embedded-resource',
    'prompts-get-with-image',
    'input-required-result-basic-elicitation',
    'input-required-result-basic-sampling',
    'input-required-result-basic-list-roots',
    'input-required-result-request-state',
    'input-required-result-multiple-input-requests',
    'input-required-result-multi-round',
    'input-required-result-missing-input-response',
    'input-required-result-ignore-extra-params',
    'input-required-result-non-tool-request',
    'input-required-result-result-type',
    'input-required-result-tampered-state',
    'input-required-result-capability-check',
  ],
};

/** Checks of must-pass scenarios that only the suite's own diagnostic tools or prompts can exercise. */
const FIXTURE_CHECKS =
  /^(server-stateless:sep-2575-(server-rejects-undeclared-capability|missing-capability-http-400|http-server-no-independent-requests-on-stream|server-no-log-without-loglevel|server-sends-tools-list-changed-on-subscription)|caching:sep-2549-prompts-list-caching-hints)$/;

describe.each(SUITES)('the official MCP conformance suite for $generation against sora2-mcp http --no-auth (simulator)', (suite) => {
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

  it('keeps the baseline to the reviewed list, each entry with its reason, and excuses no must-pass scenario', () => {
    const text = readFileSync(path.join(ROOT, suite.baseline), 'utf8');
    const entries = (parseYaml(text) as { server: string[] }).server;
    expect(entries).toEqual(REVIEWED[suite.generation]);
    const lines = text.split('\n');
    for (const entry of entries) {
      const at = lines.findIndex((line) => line.trim() === `- ${entry}`);
      expect(lines[at - 1]).toMatch(/^\s*# Needs/);
    }
    for (const required of suite.mustPass) {
      expect(entries).not.toContain(required);
      for (const entry of entries.filter((one) => one.startsWith(`${required}:`))) expect(entry).toMatch(FIXTURE_CHECKS);
    }
  });

  it('passes every scenario outside the baseline (and the baseline has no stale entry), the must-pass ones whole', async () => {
    const output = path.join(ROOT, '.tmp', `conformance-${suite.generation}-${process.pid}`);
    rmSync(output, { recursive: true, force: true });
    const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        'npx',
        [
          '--prefer-offline',
          '-y',
          '-p',
          'node@22',
          '-p',
          suite.package,
          '--',
          'conformance',
          'server',
          '--url',
          server.url,
          ...suite.args,
          '--expected-failures',
          path.join(ROOT, suite.baseline),
          '-o',
          output,
        ],
        { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    const summary = result.stdout.slice(result.stdout.indexOf('=== SUMMARY ==='));
    expect({ code: result.code, summary }).toEqual({ code: 0, summary: expect.stringContaining('Baseline check passed') });
    // Each must-pass scenario ran, and every one of its checks succeeded but those that need the suite's fixtures.
    for (const scenario of suite.mustPass) {
      const folders = readdirSync(output).filter((name) => name.startsWith(`server-${scenario}-`));
      expect({ scenario, runs: folders.length }).toEqual({ scenario, runs: 1 });
      const checks = JSON.parse(readFileSync(path.join(output, folders[0]!, 'checks.json'), 'utf8')) as { id: string; status: string }[];
      expect(checks.length).toBeGreaterThan(0);
      const failed = checks.filter(
        (check) => !['SUCCESS', 'INFO', 'SKIPPED'].includes(check.status) && !FIXTURE_CHECKS.test(`${scenario}:${check.id}`),
      );
      expect({ scenario, failed }).toEqual({ scenario, failed: [] });
    }
  }, 180_000);
});
