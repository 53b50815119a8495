import type { Environment } from '../composition/config';
import { main, packageVersion } from '../composition/main';
import { doctor } from './doctor';
import { HELP } from './help';
import { simulatorCommand } from './simulator-command';

/**
 * Dispatches the command line. With no arguments this is the MCP stdio server, whose stdout carries
 * only protocol messages; the other commands are for people and print to stdout.
 */
export async function run(args: string[], env: Environment): Promise<number> {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return main(env);
    case '--help':
    case '-h':
    case 'help':
      out(HELP.trimEnd());
      return 0;
    case '--version':
    case '-v':
      out(packageVersion());
      return 0;
    case 'doctor':
      return doctor(env, packageVersion(), out);
    case 'simulator':
      return simulatorCommand(rest, env, out);
    default:
      process.stderr.write(`sora2-mcp: unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}
