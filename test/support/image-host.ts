import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A loopback web server that counts hits and answers with whatever a test sets per path. */
export class ImageHost {
  readonly hits: { path: string; headers: IncomingMessage['headers'] }[] = [];
  routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: ReturnType<typeof createServer>) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<ImageHost> {
    // eslint-disable-next-line prefer-const -- assigned once the server that refers to it exists
    let host: ImageHost | undefined;
    const server = createServer((req, res) => {
      host!.hits.push({ path: req.url ?? '/', headers: req.headers });
      const route = host!.routes.get((req.url ?? '/').split('?')[0]!);
      if (route) route(req, res);
      else res.writeHead(404).end('not found');
    });
    host = new ImageHost(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return host;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  serve(path: string, bytes: Buffer, type = 'image/png'): void {
    this.routes.set(path, (_req, res) => res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) }).end(bytes));
  }

  redirect(path: string, location: string): void {
    this.routes.set(path, (_req, res) => res.writeHead(302, { location }).end());
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
