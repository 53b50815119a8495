import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Debian's nginx as a load balancer on loopback, in the foreground, everything in a temporary folder: round robin over
 * the upstreams, no stickiness, streams unbuffered and long waits kept open (as the README's "Serve a team" shows).
 * A refused connection is retried on the next upstream (nothing was sent); a request cut after it was sent is not.
 */
export interface RunningNginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(port: number, upstreams: readonly number[]): string {
  return `${process.getuid?.() === 0 ? 'user root;\n' : ''}master_process on;
worker_processes 1;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path client_body;
  proxy_temp_path proxy;
  fastcgi_temp_path fastcgi;
  uwsgi_temp_path uwsgi;
  scgi_temp_path scgi;
  upstream replicas {
${upstreams.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 16;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 32m;
    location / {
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 3600s;
      proxy_send_timeout 3600s;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
    }
  }
}
`;
}

/** Resolves once nginx wrote its pid file (after binding) and accepts a connection; rejects if it exits first. */
async function ready(child: ChildProcess, folder: string, port: number, stderr: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`nginx exited: ${stderr()}`);
    if (existsSync(path.join(folder, 'nginx.pid'))) {
      const accepted = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (accepted) return;
    }
    // nginx signals nothing else when it is ready: the pid file and a connection are the events to look for.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Starts nginx in front of `upstreams` (ports on 127.0.0.1), on `port` when given (a URL tokens must name), else a free one. */
export async function startNginx(upstreams: readonly number[], chosenPort?: number): Promise<RunningNginx> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'sora2-mcp-nginx-'));
  for (let attempt = 0; ; attempt += 1) {
    const port = chosenPort ?? (await freePort());
    writeFileSync(path.join(folder, 'nginx.conf'), config(port, upstreams));
    const child = spawn('nginx', ['-e', 'stderr', '-p', `${folder}/`, '-c', path.join(folder, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await ready(child, folder, port, () => stderr);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 3 && /Address already in use/.test(stderr)) continue;
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    return {
      url: `http://127.0.0.1:${port}/mcp`,
      port,
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(folder, { recursive: true, force: true });
      },
    };
  }
}
