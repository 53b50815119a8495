import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster (Debian's postgresql-15, installed by `npm test`'s pretest), on loopback with trust
 * authentication, in a temporary folder. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
 * the package creates. `pg_ctl -w` returns once the server accepts connections: no polling, no sleeping.
 */
export interface RunningPostgres {
  url: string;
  /** A URL for another database of the same cluster, created empty. */
  database(name: string): string;
  stop(): Promise<void>;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(path.join(root, version, 'bin', 'pg_ctl'))) return path.join(root, version, 'bin');
  throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql); npm test installs it.');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binaries();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-mcp-pg-'));
  const data = path.join(folder, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'sora2', '--no-sync', '-E', 'UTF8']);
  // Another worker may take the port between our look and PostgreSQL's bind: try a few.
  let port = 0;
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      run('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(folder, 'log'),
        '-w',
        '-o',
        `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
        'start',
      ]);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const url = `postgres://sora2@127.0.0.1:${port}/postgres`;
  return {
    url,
    database: (name) => {
      spawnSync(path.join(bin, 'psql'), [url, '-qc', `CREATE DATABASE "${name}"`], { encoding: 'utf8' });
      return `postgres://sora2@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
