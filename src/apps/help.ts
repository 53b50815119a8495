import { HTTP_FLAGS, SIMULATOR_FLAGS } from '../config/flags';
import { withDefault, type Flag, type Group } from '../config/schema';
import { VARIABLES } from '../config/variables';

/** `--help`, made from the one table of flags and variables (src/config), so it says what the code reads. */

const GROUPS: readonly [Group, string][] = [
  ['provider', 'The provider'],
  ['files', 'Files'],
  ['costs', 'Spending caps'],
  ['behaviour', 'Tools and logs'],
  ['limits', 'Limits'],
  ['storage', 'S3 storage'],
  ['http', 'Serving over HTTP'],
  ['team', 'Team mode'],
  ['simulator', 'The simulator'],
];

function flagLines(flags: Readonly<Record<string, Flag>>): string[] {
  return Object.values(flags).map(
    (flag) => `      ${`${flag.name}${flag.value ? ` ${flag.value}` : ''}`.padEnd(27)}${withDefault(flag.summary, flag)}`,
  );
}

/** One line of usage for a command, from its flags. */
export function usage(command: 'http' | 'simulator', flags: Readonly<Record<string, Flag>>): string {
  const parts = Object.values(flags).map((flag) => {
    const shown = `${flag.name}${flag.value ? ` ${flag.value}` : ''}${flag.multiple ? '...' : ''}`;
    return command === 'http' && flag.name === '--port' ? shown : `[${shown}]`;
  });
  return `Use: sora2-mcp ${command} ${parts.join(' ')}`;
}

function variableLines(): string[] {
  const lines: string[] = [];
  for (const [group, title] of GROUPS) {
    const members = VARIABLES.filter((variable) => variable.group === group && variable.readBy === undefined && !variable.replacedBy);
    if (members.length === 0) continue;
    lines.push(`  ${title}:`);
    for (const variable of members) lines.push(`    ${variable.name.padEnd(37)}${withDefault(variable.summary, variable)}`);
  }
  return lines;
}

export const HELP = [
  'sora2-mcp: an MCP server for OpenAI-compatible /v1/videos (Sora) providers',
  '',
  'Usage:',
  '  sora2-mcp                      start the MCP server on stdio (what MCP clients run)',
  '  sora2-mcp doctor               check the configuration and the provider, with a fix for each problem',
  '  sora2-mcp simulator [options]  serve the built-in simulator as a /v1/videos HTTP API on loopback',
  ...flagLines(SIMULATOR_FLAGS),
  '  sora2-mcp http --port N [options]  serve MCP over Streamable HTTP at /mcp, for a team (see "Serve a team" in the README)',
  ...flagLines(Object.fromEntries(Object.entries(HTTP_FLAGS).filter(([key]) => key !== 'port'))),
  '  sora2-mcp --help | --version',
  '',
  'Environment (the README\'s "Configuration" has the details):',
  ...variableLines(),
  '',
].join('\n');
