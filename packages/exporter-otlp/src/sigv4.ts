/**
 * An upstream-compatible OTLP transport (`IExporterTransport` of `@opentelemetry/otlp-exporter-base`)
 * that signs every request with SigV4 over the exact bytes it sends.
 *
 * Why a transport and not a `headers` factory: upstream's headers factory is called without the
 * body, but a SigV4 signature covers the SHA-256 of the body, so it cannot be computed there.
 * `IExporterTransport.send(data, timeoutMillis)` receives the serialized (and, here, compressed)
 * request, which is what we sign. ADOT JS instead writes into the exporter's private
 * `_delegate._transport._transport._parameters.headers` (spec/ecosystem.md §3.3); this uses only
 * public upstream names (`createOtlpNetworkExportDelegate`, `IExporterTransport`).
 */
import * as http from 'http';
import * as https from 'https';
import { gzipSync } from 'zlib';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { diag } from '@opentelemetry/api';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';

/** AWS credentials, structurally the SDK's `AwsCredentialIdentity`. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** A credential provider, structurally the SDK's `AwsCredentialIdentityProvider` (`defaultProvider()`, `fromIni()`…). */
export type AwsCredentialProvider = () => Promise<AwsCredentials>;

/** Counters of the SigV4 transport; read with `AWSXRayOtlpSpanExporter.counters()`. */
export interface SigV4TransportCounters {
  /** HTTP requests started (each retry is one more). */
  requests: number;
  /** Requests repeated after a retryable status or a network error. */
  retries: number;
  /** Exports dropped because credentials could not be obtained or the request could not be signed. */
  signingFailures: number;
  /** Requests that ended without a response (connection refused or reset, timeout). */
  networkErrors: number;
  /** Responses by HTTP status code. */
  httpStatus: Record<number, number>;
}

/** Refresh credentials this long before they expire, as the AWS SDKs do. */
const EXPIRY_MARGIN_MILLIS = 5 * 60 * 1000;

/**
 * Calls the provider at the first use and again when the cached credentials are within
 * {@link EXPIRY_MARGIN_MILLIS} of their `expiration` or the last call failed.
 */
export class CredentialCache {
  private _pending: Promise<AwsCredentials> | undefined;
  private _current: AwsCredentials | undefined;

  constructor(
    private readonly _provider: AwsCredentialProvider,
    private readonly _now: () => number = Date.now,
  ) {}

  /** The credentials last obtained, for redaction of error messages. */
  get current(): AwsCredentials | undefined {
    return this._current;
  }

  get(): Promise<AwsCredentials> {
    const current = this._current;
    if (current !== undefined && !this._expiresSoon(current)) return Promise.resolve(current);
    if (this._pending === undefined) {
      this._pending = this._provider().then(
        (credentials) => {
          this._pending = undefined;
          this._current = credentials;
          return credentials;
        },
        (err: unknown) => {
          this._pending = undefined;
          throw err;
        },
      );
    }
    return this._pending;
  }

  private _expiresSoon(credentials: AwsCredentials): boolean {
    return (
      credentials.expiration !== undefined &&
      credentials.expiration.getTime() - EXPIRY_MARGIN_MILLIS <= this._now()
    );
  }
}

/**
 * Replaces the secret key and session token, if they appear, with `[redacted]`. Error messages
 * from credential providers and signers are passed through this before they reach `diag`.
 */
export function redactSecrets(text: string, credentials: AwsCredentials | undefined): string {
  if (credentials === undefined) return text;
  let out = text;
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken]) {
    if (typeof secret === 'string' && secret.length > 0) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Options of {@link SigV4HttpTransport}. */
export interface SigV4HttpTransportOptions {
  /** The URL requests are sent to, and the host and path that are signed. */
  url: URL;
  /** The signing region. */
  region: string;
  /** The signing name; `xray`. */
  service: string;
  credentials: AwsCredentialProvider;
  /** Extra headers, resolved before each request and signed with it. */
  headers: () => Promise<Record<string, string>>;
  /** `gzip` compresses the body (and signs the compressed bytes). */
  compression: 'gzip' | 'none';
  /** Attempts per export, the first included. Default 3. */
  maxAttempts?: number;
  /** First retry delay when the server gives no Retry-After. Default 1000 ms, then ×1.5 with ±20 % jitter. */
  initialBackoffMillis?: number;
  /** The agent requests go through. Default: a keep-alive agent for the URL's protocol. */
  agent?: http.Agent;
  /**
   * The signing clock: the date of `X-Amz-Date` and of the credential scope. Default: the current
   * time. A fixed clock reproduces a signature exactly (test/sigv4-vectors.test.ts runs AWS's SigV4
   * test suite through the transport with one).
   */
  now?: () => Date;
}

const CONTENT_TYPE = 'application/x-protobuf';

/** Upstream's retryable statuses (`isExportHTTPErrorRetryable`). */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Retry-After in delta-seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface HttpResult {
  status?: number;
  retryAfter?: string;
  body?: Buffer;
  error?: Error;
}

/**
 * Signs with SigV4 and POSTs. Each attempt is signed afresh (a new `x-amz-date`), so a retry
 * after a long Retry-After is not rejected as stale.
 */
export class SigV4HttpTransport implements IExporterTransport {
  readonly counters: SigV4TransportCounters = {
    requests: 0,
    retries: 0,
    signingFailures: 0,
    networkErrors: 0,
    httpStatus: {},
  };
  private readonly _signer: SignatureV4;
  private readonly _credentials: CredentialCache;
  private readonly _agent: http.Agent;
  private readonly _maxAttempts: number;
  private readonly _initialBackoff: number;
  private readonly _now: () => Date;

  constructor(private readonly _options: SigV4HttpTransportOptions) {
    this._credentials = new CredentialCache(_options.credentials);
    this._signer = new SignatureV4({
      service: _options.service,
      region: _options.region,
      credentials: () => this._credentials.get(),
      sha256: Sha256,
    });
    this._agent =
      _options.agent ??
      (_options.url.protocol === 'http:'
        ? new http.Agent({ keepAlive: true })
        : new https.Agent({ keepAlive: true }));
    this._maxAttempts = Math.max(1, _options.maxAttempts ?? 3);
    this._initialBackoff = _options.initialBackoffMillis ?? 1000;
    this._now = _options.now ?? (() => new Date());
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    const body = this._options.compression === 'gzip' ? gzipSync(data) : data;
    let backoff = this._initialBackoff;
    for (let attempt = 1; ; attempt++) {
      let signed: { headers: Record<string, string> };
      try {
        signed = await this._sign(body);
      } catch (err) {
        return this._signingFailure(err);
      }
      const remaining = deadline - Date.now();
      const result = await this._post(body, signed.headers, Math.max(1, remaining));
      const response = this._toExportResponse(result);
      if (response.status !== 'retryable' || attempt >= this._maxAttempts) return response;
      const jitter = 1 + (Math.random() * 0.4 - 0.2);
      const wait = response.retryInMillis ?? backoff * jitter;
      backoff *= 1.5;
      if (wait > deadline - Date.now()) {
        diag.info(
          `AWSXRayOtlpSpanExporter: retry in ${Math.round(wait)} ms exceeds the export timeout; not retrying`,
        );
        return response;
      }
      this.counters.retries++;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  shutdown(): void {
    this._agent.destroy();
  }

  private async _sign(body: Uint8Array): Promise<{ headers: Record<string, string> }> {
    const url = this._options.url;
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const extra = await this._options.headers();
    return this._signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname,
        query,
        // `host` is set to what Node sends (`host[:port]`), so that what is signed is what arrives.
        headers: {
          ...extra,
          host: url.host,
          'content-type': CONTENT_TYPE,
          'content-length': String(body.byteLength),
          ...(this._options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
        },
        body,
      },
      { signingDate: this._now() },
    );
  }

  private _signingFailure(err: unknown): ExportResponse {
    this.counters.signingFailures++;
    // Never the error object itself: its fields (or a cause) could carry a key.
    const message = `AWSXRayOtlpSpanExporter: SigV4 signing failed, spans dropped (${redactSecrets(
      describeError(err),
      this._credentials.current,
    )})`;
    diag.error(message);
    return { status: 'failure', error: new Error(message) };
  }

  private _post(
    body: Uint8Array,
    headers: Record<string, string>,
    timeoutMillis: number,
  ): Promise<HttpResult> {
    const url = this._options.url;
    const request = url.protocol === 'http:' ? http.request : https.request;
    this.counters.requests++;
    return new Promise<HttpResult>((resolve) => {
      let settled = false;
      const finish = (result: HttpResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(
        {
          method: 'POST',
          hostname: url.hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: url.pathname + url.search,
          headers,
          agent: this._agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            finish({
              status: res.statusCode ?? 0,
              retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
              body: Buffer.concat(chunks),
            });
          });
          res.on('error', (error) => finish({ error }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`Request timed out after ${timeoutMillis} ms`));
      }, timeoutMillis);
      req.on('error', (error) => finish({ error }));
      req.end(body);
    });
  }

  private _toExportResponse(result: HttpResult): ExportResponse {
    if (result.status === undefined) {
      this.counters.networkErrors++;
      // Upstream treats connection errors as retryable too.
      return { status: 'retryable', error: result.error };
    }
    const status = result.status;
    this.counters.httpStatus[status] = (this.counters.httpStatus[status] ?? 0) + 1;
    if (status >= 200 && status < 300) return { status: 'success', data: result.body };
    const text = result.body === undefined ? '' : result.body.toString('utf8', 0, 512);
    const error = new OTLPExporterError(`X-Ray OTLP endpoint answered ${status}`, status, text);
    if (isRetryableStatus(status)) {
      return { status: 'retryable', retryInMillis: parseRetryAfter(result.retryAfter), error };
    }
    return { status: 'failure', error };
  }
}
