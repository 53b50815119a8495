import type { Environment } from '../composition/config';
import { packageVersion } from '../composition/create-server';
import { main } from './stdio/stdio-program';

/**
 * Dispatches the command line. With no arguments this is the MCP stdio server, whose stdout carries
 * only protocol messages; the other commands are for people and print to stdout.
 */
export async function run(args: string[], env: Environment): Promise<number> {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  // The help text is built from the config tables; only --help and a wrong command need it.
  const help = (): string => (require('./help') as typeof import('./help')).HELP;
  const commands = () => require('./commands') as typeof import('./commands');
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return main(env);
    case '--help':
    case '-h':
    case 'help':
      out(help().trimEnd());
      return 0;
    case '--version':
    case '-v':
      out(packageVersion());
      return 0;
    // Commands other than the server are loaded on demand (a file of their own in the bundle): every MCP session starts without them.
    case 'doctor':
      return commands().doctor(env, packageVersion(), out);
    case 'http':
      return commands().httpCommand(rest, env, out);
    case 'simulator':
      return commands().simulatorCommand(rest, env, out);
    default:
      process.stderr.write(`sora2-mcp: unknown command "${command}".\n\n${help()}`);
      return 2;
  }
}
