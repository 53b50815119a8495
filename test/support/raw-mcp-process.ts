import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BUILT_SERVER, serverEnv } from './stdio-server';

/**
 * The built server driven with hand-written JSON-RPC lines, keeping every byte it writes: stdout
 * must hold nothing but protocol messages, which an SDK client would not let a test see.
 */
export class RawMcpProcess {
  stdout = '';
  stderr = '';
  private nextId = 1;
  private readonly waiting = new Map<number | string, (message: Record<string, unknown>) => void>();
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const message = JSON.parse(line) as Record<string, unknown>;
          const id = message.id as number | string | undefined;
          if (id !== undefined && 'result' in message !== 'error' in message) this.waiting.get(id)?.(message);
        } catch {
          // Not JSON: the test's stdout check will report it.
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
  }

  static async start(env: Record<string, string>, cwd?: string): Promise<RawMcpProcess> {
    const process_ = new RawMcpProcess(spawn(process.execPath, [BUILT_SERVER], { env: serverEnv(env), cwd }));
    await process_.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } });
    process_.notify('notifications/initialized');
    return process_;
  }

  notify(method: string, params: Record<string, unknown> = {}): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`);
  }

  request(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return this.send(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`, id, timeoutMs);
  }

  /** Writes a line as given (e.g. an oversized one) and waits for the answer to `id`. */
  send(line: string, id: number | string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${id} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(message);
      });
      this.child.stdin.write(line);
    });
  }

  /** Every line of stdout, parsed; throws on the first line that is not a JSON-RPC 2.0 message. */
  stdoutMessages(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const message = JSON.parse(line) as Record<string, unknown>;
        if (message.jsonrpc !== '2.0') throw new Error(`not JSON-RPC: ${line.slice(0, 200)}`);
        return message;
      });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.alive) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}
