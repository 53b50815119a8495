import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
// s3rver ships no types; its API is small: new S3rver(options), run(), close(), and Koa's middleware array.
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
import { tempFolder } from './temp';

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  get(header: string): string;
  status: number;
  body: unknown;
  type: string;
}
interface S3rverInstance {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: { existsObject(bucket: string, key: string): Promise<boolean> };
}

export const TEST_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER-secret-0d0c1a2b3c4d' };

/**
 * A real S3 server on loopback (s3rver, files in a temporary folder), started by the test itself.
 * s3rver 3.7 lacks two things real S3 has, which our store relies on; this server adds them in front
 * of it, in s3rver's own on-disk layout, so a test can fail when the store gets them wrong:
 * - AbortMultipartUpload (s3rver answers 405): removes the upload's parts;
 * - `If-None-Match: *` on PutObject and CompleteMultipartUpload (s3rver ignores it): 412 when the key exists.
 * Signatures are not checked by s3rver, so a wrong secret key would still be accepted here.
 */
export class LoopbackS3 {
  private readonly waiters: { condition: () => boolean; resolve: () => void }[] = [];

  private constructor(
    private readonly server: S3rverInstance,
    private readonly folder: ReturnType<typeof tempFolder>,
    readonly endpoint: string,
    readonly bucket: string,
  ) {}

  static async start(bucket = 'team-videos'): Promise<LoopbackS3> {
    const folder = tempFolder();
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: folder.path,
      configureBuckets: [{ name: bucket }],
    });
    const started: { loopback?: LoopbackS3 } = {};
    // After every request the server has handled, conditions waited on are checked again: tests wait for events.
    server.middleware.unshift(async (_ctx, next) => {
      try {
        await next();
      } finally {
        started.loopback?.settle();
      }
    });
    server.middleware.splice(1, 0, async (ctx, next) => {
      const [, bucketName, ...rest] = ctx.path.split('/');
      const key = rest.map(decodeURIComponent).join('/');
      if (bucketName && key && ctx.method === 'DELETE' && ctx.query.uploadId !== undefined) {
        await rm(path.join(folder.path, bucketName, '._S3rver_uploads', ctx.query.uploadId), { recursive: true, force: true });
        ctx.status = 204;
        return;
      }
      const creates =
        (ctx.method === 'PUT' && ctx.query.partNumber === undefined) || (ctx.method === 'POST' && ctx.query.uploadId !== undefined);
      if (bucketName && key && creates && ctx.get('if-none-match') === '*' && (await server.store.existsObject(bucketName, key))) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
        return;
      }
      await next();
    });
    const address = await server.run();
    started.loopback = new LoopbackS3(server, folder, `http://127.0.0.1:${address.port}`, bucket);
    return started.loopback;
  }

  /** Resolves once `condition` holds, checked now and after each request the server handles. */
  waitFor(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ condition, resolve }));
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.condition()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Multipart uploads still open (their parts are kept, and billed, until aborted or completed). */
  openUploads(): string[] {
    const uploads = path.join(this.folder.path, this.bucket, '._S3rver_uploads');
    return existsSync(uploads) ? readdirSync(uploads) : [];
  }

  /** Client settings for an in-process store. */
  clientConfig() {
    return { endpoint: this.endpoint, region: 'us-east-1', credentials: TEST_S3_CREDENTIALS };
  }

  /** The environment a server process needs to use this bucket under `prefix`. */
  env(prefix = 'team/'): Record<string, string> {
    return {
      SORA2_MCP_STORE: `s3://${this.bucket}/${prefix}`,
      SORA2_MCP_S3_FORCE_PATH_STYLE: '1',
      AWS_ENDPOINT_URL_S3: this.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  async close(): Promise<void> {
    await this.server.close();
    this.folder.remove();
  }
}
