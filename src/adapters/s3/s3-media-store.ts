import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { CancelledError, DomainError, fileExists, invalidInput, isDomainError, notFound, storageFailed } from '../../domain/errors';
import { bareMimeType, mimeTypeForExtension } from '../../domain/media';
import { meteredBody } from '../../domain/metered-body';
import type { ByteRange, MediaContent, MediaStore, NameState, StoredMedia, WriteOptions } from '../../domain/ports';
import { relativeKey } from '../../domain/store-names';

export interface S3MediaStoreOptions {
  bucket: string;
  /** Key prefix every item lives under: `''` or ending in `/` (`team/videos/`). */
  prefix: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO-style servers need. */
  forcePathStyle: boolean;
  /** Lifetime of presigned links, in seconds. */
  urlTtlSeconds: number;
  /** Public URL that serves the prefix (a CDN, a public bucket): links are this plus the encoded name, not presigned. */
  publicUrl?: string;
  /**
   * Extra client settings (tests pass an endpoint and credentials). Without them the AWS SDK's standard
   * chain decides: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, keys or a profile.
   */
  clientConfig?: S3ClientConfig;
}

/** Parts are S3's minimum, 5 MiB (10,000 parts make 48 GiB); two in flight bound the memory an upload takes. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
const LIST_PAGE = 1000;
/** Pages read for resources/list: the newest items among the first 10,000 keys of the prefix. */
const LIST_PAGES = 10;

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * Media in an S3-compatible bucket under a prefix, for teams that share one store. Uploads stream as
 * multipart uploads (memory does not grow with the video), are aborted on any failure or
 * cancellation, and never replace an existing key unless asked: a conditional create
 * (`If-None-Match: *`) where the server honours it, after a check everywhere. Links are presigned
 * GET URLs, or a configured public URL. The AWS SDK loads on first use, never at start-up.
 */
export class S3MediaStore implements MediaStore {
  private sdk: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;
  private linkBase: Promise<string> | undefined;

  constructor(private readonly options: S3MediaStoreOptions) {}

  /** Where the store is, for messages: `s3://bucket/prefix`. */
  get where(): string {
    return `s3://${this.options.bucket}/${this.options.prefix}`;
  }

  async inspect(name: string): Promise<NameState> {
    const key = this.keyFor(name);
    if (await this.holds(key, name)) return 'taken';
    // A "folder" is a prefix with objects under it: items named after it go inside, as in a folder tree.
    const { sdk, client } = await this.client();
    try {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: `${key}/`, MaxKeys: 1 }));
      return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 ? 'folder' : 'free';
    } catch (error) {
      throw storeFailure('check', error, this.location(name));
    }
  }

  async write(names: Iterable<string>, content: MediaContent, options: WriteOptions = {}): Promise<StoredMedia> {
    const candidates = [...names];
    const first = candidates[0];
    if (first === undefined) throw new Error('S3MediaStore.write: no name given');
    let name: string | undefined;
    for (const candidate of candidates) {
      if (options.replace || !(await this.holds(this.keyFor(candidate), candidate))) {
        name = candidate;
        break;
      }
    }
    if (name === undefined) throw fileExists(this.location(first));
    const collision = options.replace ? 'replace' : 'refuse';
    const { client } = await this.client();
    const { Upload } = require('@aws-sdk/lib-storage') as typeof import('@aws-sdk/lib-storage');
    let sizeBytes = 0;
    const upload = new Upload({
      client,
      queueSize: PARTS_IN_FLIGHT,
      partSize: PART_BYTES,
      leavePartsOnError: false,
      params: {
        Bucket: this.options.bucket,
        Key: this.keyFor(name),
        ContentType: bareMimeType(content.contentType),
        // A cancelled or broken body throws inside the upload, which then aborts the multipart upload
        // before `done` settles: nothing is left, and no dangling parts are billed.
        Body: Readable.from(
          meteredBody(content, {
            ...options,
            onBytes: (written, total) => {
              sizeBytes = written;
              options.onBytes?.(written, total);
            },
          }),
          { objectMode: false },
        ),
        ...(collision === 'replace' ? {} : { IfNoneMatch: '*' }),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      content.cancel?.();
      if (options.signal?.aborted) throw new CancelledError({ stored: false });
      if (isDomainError(error)) throw error;
      // Another writer created the name during the upload (the check before it passed): kept, never replaced.
      if (statusOf(error) === 412 || statusOf(error) === 409) throw fileExists(this.location(name));
      throw storeFailure('store', error, this.location(name));
    }
    return this.describe(name, bareMimeType(content.contentType), sizeBytes);
  }

  /** The object key for a name: under the prefix, refused when it would leave it or be too long for S3. */
  private keyFor(name: string): string {
    const key = this.options.prefix + relativeKey(name);
    if (Buffer.byteLength(key) > 900) {
      throw invalidInput('file', { rule: 'name_unusable', path: name, problem: 'too_long_for_s3' });
    }
    return key;
  }

  private async holds(key: string, name: string): Promise<boolean> {
    const { sdk, client } = await this.client();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw storeFailure('check', error, this.location(name));
    }
  }

  async find(uri: string): Promise<StoredMedia | undefined> {
    const name = await this.nameForUri(uri);
    if (name === undefined || !isListable(name)) return undefined;
    const { sdk, client } = await this.client();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.options.bucket, Key: this.options.prefix + name }));
      return await this.describe(name, mimeTypeForExtension(extensionOf(name)), head.ContentLength ?? 0);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storeFailure('read', error, this.location(name));
    }
  }

  async open(uri: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const found = await this.find(uri);
    if (!found) throw notFound({ reason: 'no_media', uri });
    if (range && range.length <= 0) return Readable.from([]);
    const { sdk, client } = await this.client();
    const name = (await this.nameForUri(uri))!;
    try {
      const answer = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.options.prefix + name,
          Range: range ? `bytes=${range.offset}-${range.offset + range.length - 1}` : undefined,
        }),
      );
      return answer.Body as Readable;
    } catch (error) {
      throw storeFailure('read', error, this.location(name));
    }
  }

  async list(limit: number): Promise<StoredMedia[]> {
    const { sdk, client } = await this.client();
    const found: { name: string; size: number; modified: number }[] = [];
    // S3 lists in key order, so the newest items can be anywhere: read up to LIST_PAGES pages, then sort by date.
    let token: string | undefined;
    for (let page = 0; page < LIST_PAGES; page += 1) {
      const answer = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.options.prefix,
          MaxKeys: LIST_PAGE,
          ContinuationToken: token,
        }),
      );
      for (const item of answer.Contents ?? []) {
        const name = item.Key?.slice(this.options.prefix.length);
        if (name && isListable(name)) found.push({ name, size: item.Size ?? 0, modified: item.LastModified?.getTime() ?? 0 });
      }
      token = answer.NextContinuationToken;
      if (!token) break;
    }
    found.sort((a, b) => b.modified - a.modified);
    return Promise.all(
      found.slice(0, limit).map((item) => this.describe(item.name, mimeTypeForExtension(extensionOf(item.name)), item.size)),
    );
  }

  async probe(): Promise<string> {
    const { sdk, client } = await this.client();
    try {
      await client.send(new sdk.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix, MaxKeys: 1 }));
    } catch (error) {
      throw storeFailure('list', error, this.where);
    }
    return this.where;
  }

  private location(name: string): string {
    return `s3://${this.options.bucket}/${this.options.prefix}${name}`;
  }

  private async describe(name: string, mimeType: string, sizeBytes: number): Promise<StoredMedia> {
    return { uri: await this.uriFor(name), name: name.split('/').at(-1)!, location: this.location(name), mimeType, sizeBytes };
  }

  private async uriFor(name: string): Promise<string> {
    const encoded = name.split('/').map(encodeURIComponent).join('/');
    if (this.options.publicUrl) return withSlash(this.options.publicUrl) + encoded;
    const { sdk, client } = await this.client();
    const { getSignedUrl } = require('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.options.prefix + name }), {
      expiresIn: this.options.urlTtlSeconds,
    });
  }

  /**
   * The name a link stands for: the public URL or the presigned URL's origin and path up to the prefix,
   * then the encoded name. Query strings (signatures, expiry) are ignored, so an expired link still
   * names its item for `resources/read`, which reads through the SDK, not the link.
   */
  private async nameForUri(uri: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return undefined;
    }
    const base = new URL(this.options.publicUrl ? withSlash(this.options.publicUrl) : await this.presignedBase());
    const here = url.origin + url.pathname;
    const start = base.origin + base.pathname;
    if (url.origin !== base.origin || !here.startsWith(start)) return undefined;
    try {
      const segments = here.slice(start.length).split('/').map(decodeURIComponent);
      if (segments.some((segment) => segment === '..' || segment === '.' || segment === '' || segment.includes('/'))) return undefined;
      return segments.join('/');
    } catch {
      return undefined;
    }
  }

  /** The origin and path of a presigned link to the prefix itself, which every item's link extends. */
  private presignedBase(): Promise<string> {
    this.linkBase ??= this.uriFor('x').then(
      (signed) => {
        const url = new URL(signed);
        return url.origin + url.pathname.slice(0, -1);
      },
      (error: unknown) => {
        // Not kept: a credential blip must not break reads until a restart.
        this.linkBase = undefined;
        throw storeFailure('sign', error);
      },
    );
    return this.linkBase;
  }

  private client(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    // require, not import(): synchronous CommonJS like the other lazy SDKs, so jest and the bundle load it the same way.
    this.sdk ??= Promise.resolve(require('@aws-sdk/client-s3') as S3Sdk).then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        forcePathStyle: this.options.forcePathStyle,
        // Checksums only where the API requires them: streamed parts then need no trailer, which
        // several S3-compatible servers do not accept.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...this.options.clientConfig,
      }),
    }));
    return this.sdk;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > name.lastIndexOf('/') ? name.slice(dot).toLowerCase() : '';
}

/** Media only, and nothing hidden: what resources may show. */
function isListable(name: string): boolean {
  return !name.split('/').some((segment) => segment.startsWith('.')) && /^(image|video)\//.test(mimeTypeForExtension(extensionOf(name)));
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** A store failure, with what the MCP layer needs to say what to do: the HTTP status, or that a region is missing. */
function storeFailure(action: 'check' | 'store' | 'read' | 'list' | 'sign', error: unknown, location?: string): DomainError {
  const status = statusOf(error);
  const name = (error as { name?: string } | undefined)?.name ?? 'error';
  // The AWS SDK has already retried what can be retried; fetching the video again would not help.
  const transient = status === undefined || status >= 500 || status === 429;
  const reason =
    status === 403 || status === 401
      ? 'credentials_refused'
      : status === 404
        ? 'bucket_not_found'
        : name === 'Error' && /region/i.test(String((error as Error).message))
          ? 'region_missing'
          : undefined;
  return storageFailed({ store: 's3', action, location, name, status, transient, reason }, { cause: error });
}
