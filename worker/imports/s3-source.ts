import { AwsClient } from "aws4fetch";
import type { S3ImportConfig } from "./config";
import { type ListObjectsPage, parseListObjectsV2, parseS3Error } from "./s3-xml";

/** The source bucket answered with an error or could not be reached; the message says which. */
export class S3SourceError extends Error {
  override readonly name = "S3SourceError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Percent-encodes each path segment as SigV4 canonical URIs expect (RFC 3986 unreserved kept). */
export function encodeKey(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");
}

/**
 * A path-style S3 client (`<endpoint>/<bucket>/<key>`) over SigV4-signed fetch; path-style works
 * for AWS S3, MinIO, R2's S3 endpoint and s3rver without DNS per bucket.
 */
export class S3Source {
  readonly #client: AwsClient;
  readonly #bucketUrl: string;

  constructor(readonly config: S3ImportConfig) {
    // aws4fetch retries 5xx/429 ten times with doubling back-off by default (~50 s); one
    // retry keeps a failing source from holding a scheduled run for a minute.
    this.#client = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      region: config.region,
      service: "s3",
      retries: 1,
    });
    this.#bucketUrl = `${config.endpoint}/${encodeKey(config.bucket)}`;
  }

  /** One ListObjectsV2 page of at most `pageSize` keys (S3 caps it at 1,000). */
  async listPage(continuationToken?: string, pageSize = 1000): Promise<ListObjectsPage> {
    const url = new URL(this.#bucketUrl);
    url.searchParams.set("list-type", "2");
    url.searchParams.set("max-keys", String(pageSize));
    if (this.config.prefix) url.searchParams.set("prefix", this.config.prefix);
    if (continuationToken) url.searchParams.set("continuation-token", continuationToken);
    const response = await this.#send(url.toString(), { method: "GET" }, `list ${this.config.source}`);
    return parseListObjectsV2(await response.text());
  }

  /**
   * GETs one object, or the byte range [offset, offset + length) of it. `ifMatch` pins the
   * version so ranges of one object cannot mix two versions.
   */
  async getObject(key: string, options: { range?: { offset: number; length: number }; ifMatch?: string } = {}) {
    const headers = new Headers();
    if (options.range)
      headers.set("range", `bytes=${options.range.offset}-${options.range.offset + options.range.length - 1}`);
    if (options.ifMatch) headers.set("if-match", `"${options.ifMatch}"`);
    return this.#send(`${this.#bucketUrl}/${encodeKey(key)}`, { method: "GET", headers }, `get ${key}`);
  }

  async #send(url: string, init: RequestInit, what: string): Promise<Response> {
    let response: Response;
    try {
      response = await this.#client.fetch(url, init);
    } catch (error) {
      throw new S3SourceError(`${what}: cannot reach ${this.config.endpoint} (${(error as Error).message})`);
    }
    if (response.ok) return response;
    const detail = parseS3Error(await response.text()) ?? response.statusText;
    throw new S3SourceError(`${what}: ${this.config.endpoint} answered ${response.status} ${detail}`, response.status);
  }
}
