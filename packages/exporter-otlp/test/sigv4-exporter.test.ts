import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { inspect } from 'util';
import { gunzipSync } from 'zlib';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { DiagLogLevel, ROOT_CONTEXT, SpanKind, diag, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { XRayLocal, decodeOtlpProtobuf } from '@xray-otel/local';
import { AWSXRayOtlpSpanExporter, type AWSXRayOtlpSpanExporterOptions } from '../src/sigv4-exporter';

const KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'test-session-token',
};
const REPO = path.resolve(__dirname, '..', '..', '..');

function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('sigv4-test');
  const server = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET' },
  });
  tracer.startSpan('SELECT cart', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server)).end();
  server.end();
  return exporter.getFinishedSpans();
}

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Recomputes the signature as X-Ray would: over the received method, path, signed headers and
 * body, with the known key, for service `xray`, at the request's own `x-amz-date`.
 */
async function verifySignature(
  req: Received,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = 'us-east-1',
): Promise<boolean> {
  const authorization = String(req.headers['authorization'] ?? '');
  const match = /SignedHeaders=([^,]+)/.exec(authorization);
  if (match === null) return false;
  const headers: Record<string, string> = {};
  for (const name of match[1].split(';')) headers[name] = String(req.headers[name] ?? '');
  // The payload hash is recomputed from the received body, never taken from the header.
  delete headers['x-amz-content-sha256'];
  const amzDate = headers['x-amz-date'];
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  const signer = new SignatureV4({ service: 'xray', region, credentials, sha256: Sha256 });
  const [pathname, search = ''] = req.path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  const expected = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: String(req.headers.host),
      path: pathname,
      query,
      headers,
      body: req.body,
    },
    { signingDate },
  );
  return expected.headers['authorization'] === authorization;
}

/** A plain-HTTP OTLP endpoint on 127.0.0.1 that records requests and answers from a script. */
class TestServer {
  readonly received: Received[] = [];
  /** Responses to give, in order; then 200. */
  responses: Array<{ status: number; headers?: Record<string, string> }> = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const next = this.responses.shift() ?? { status: 200 };
      res.writeHead(next.status, { 'content-type': 'application/x-protobuf', ...next.headers });
      res.end();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}/v1/traces`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function exportOnce(
  exporter: AWSXRayOtlpSpanExporter,
  spans: ReadableSpan[],
): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** Sets env vars for the duration of fn, then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const CLEAN_ENV = {
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: undefined,
  OTEL_EXPORTER_OTLP_HEADERS: undefined,
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: undefined,
  OTEL_EXPORTER_OTLP_TIMEOUT: undefined,
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: undefined,
  OTEL_EXPORTER_OTLP_COMPRESSION: undefined,
};

describe('AWSXRayOtlpSpanExporter', () => {
  let server: TestServer;
  const exporters: AWSXRayOtlpSpanExporter[] = [];
  const make = (options: AWSXRayOtlpSpanExporterOptions = {}): AWSXRayOtlpSpanExporter => {
    const exporter = new AWSXRayOtlpSpanExporter({
      url: server.url,
      region: 'us-east-1',
      credentials: KEY,
      ...options,
    });
    exporters.push(exporter);
    return exporter;
  };

  beforeEach(async () => {
    server = new TestServer();
    await server.start();
  });
  afterEach(async () => {
    for (const e of exporters.splice(0)) await e.shutdown();
    await server.stop();
  });

  it('sends OTLP protobuf signed for xray; the server recomputes the same signature; the body decodes to the spans', async () => {
    const exporter = make({ headers: { 'x-extra': 'yes' } });
    const spans = makeSpans();
    const result = await exportOnce(exporter, spans);
    assert.equal(result.code, 0, String(result.error));
    assert.equal(server.received.length, 1);
    const req = server.received[0];
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/traces');
    assert.equal(req.headers['content-type'], 'application/x-protobuf');
    assert.equal(req.headers['x-amz-security-token'], KEY.sessionToken);
    assert.equal(req.headers['x-extra'], 'yes');
    assert.match(
      String(req.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/xray\/aws4_request, SignedHeaders=[^ ]*content-type;host;[^ ]*x-extra/,
    );
    assert.equal(await verifySignature(req, KEY), true);

    const decoded = decodeOtlpProtobuf(req.body);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.spans.map((s) => s.name).sort(), spans.map((s) => s.name).sort());
    assert.deepEqual(
      decoded.spans.map((s) => s.spanContext().spanId).sort(),
      spans.map((s) => s.spanContext().spanId).sort(),
    );

    const counters = exporter.counters;
    assert.equal(counters.spansExported, 2);
    assert.equal(counters.requests, 1);
    assert.deepEqual(counters.httpStatus, { 200: 1 });
  });

  it('a tampered body, a wrong key, a wrong region or a missing token does not verify', async () => {
    await exportOnce(make(), makeSpans());
    const req = server.received[0];
    assert.equal(await verifySignature(req, KEY), true);
    const tampered = Buffer.from(req.body);
    tampered[tampered.length - 1] ^= 1;
    assert.equal(await verifySignature({ ...req, body: tampered }, KEY), false);
    assert.equal(await verifySignature(req, { ...KEY, secretAccessKey: 'not-the-key' }), false);
    assert.equal(await verifySignature(req, KEY, 'us-west-2'), false);
    assert.equal(
      await verifySignature({ ...req, headers: { ...req.headers, authorization: undefined } }, KEY),
      false,
    );
  });

  it('gzip: sends Content-Encoding gzip and signs the compressed bytes', async () => {
    const spans = makeSpans();
    const result = await exportOnce(make({ compression: 'gzip' }), spans);
    assert.equal(result.code, 0, String(result.error));
    const req = server.received[0];
    assert.equal(req.headers['content-encoding'], 'gzip');
    assert.equal(await verifySignature(req, KEY), true);
    const decoded = decodeOtlpProtobuf(gunzipSync(req.body));
    assert.ok(decoded.ok);
    assert.equal(decoded.spans.length, spans.length);
  });

  it('retries 503 (honouring Retry-After), re-signing each attempt, then succeeds', async () => {
    server.responses = [
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '0' } },
    ];
    const exporter = make();
    const result = await exportOnce(exporter, makeSpans());
    assert.equal(result.code, 0, String(result.error));
    assert.equal(server.received.length, 3);
    for (const req of server.received) assert.equal(await verifySignature(req, KEY), true);
    const counters = exporter.counters;
    assert.equal(counters.retries, 2);
    assert.equal(counters.requests, 3);
    assert.deepEqual(counters.httpStatus, { 200: 1, 429: 1, 503: 1 });
  });

  it('gives up after maxAttempts retryable answers, and does not retry a 400', async () => {
    server.responses = [
      { status: 502, headers: { 'retry-after': '0' } },
      { status: 502, headers: { 'retry-after': '0' } },
      { status: 400 },
    ];
    const exporter = make({ maxAttempts: 2 });
    const first = await exportOnce(exporter, makeSpans());
    assert.equal(first.code, 1);
    assert.match(String(first.error?.message), /502/);
    const second = await exportOnce(exporter, makeSpans());
    assert.equal(second.code, 1);
    assert.match(String(second.error?.message), /400/);
    const counters = exporter.counters;
    assert.equal(counters.requests, 3);
    assert.equal(counters.retries, 1);
    assert.equal(counters.spansFailed, 4);
    assert.equal(counters.spansExported, 0);
  });

  it('does not retry past the export timeout (a long Retry-After)', async () => {
    server.responses = [{ status: 503, headers: { 'retry-after': '60' } }];
    const exporter = make({ timeoutMillis: 2000 });
    const result = await exportOnce(exporter, makeSpans());
    assert.equal(result.code, 1);
    assert.equal(exporter.counters.retries, 0);
  });

  it('a refused connection is a network error, retried, then FAILED', async () => {
    const closed = new TestServer();
    await closed.start();
    await closed.stop();
    const exporter = make({ url: closed.url, maxAttempts: 2, timeoutMillis: 5000 });
    const result = await exportOnce(exporter, makeSpans());
    assert.equal(result.code, 1);
    const counters = exporter.counters;
    assert.equal(counters.networkErrors, 2);
    assert.equal(counters.retries, 1);
  });

  describe('secrets never reach diag', () => {
    const MARKER_SECRET = 'SECRET-MARKER-6f1d2c';
    const MARKER_TOKEN = 'TOKEN-MARKER-9a8b7c';
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(
        args
          .map((a) =>
            a instanceof Error
              ? `${a.message} ${a.stack}`
              : typeof a === 'string'
                ? a
                : inspect(a, { depth: 4 }),
          )
          .join(' '),
      );
    };
    beforeEach(() => {
      lines.length = 0;
      diag.setLogger(
        { error: capture, warn: capture, info: capture, debug: capture, verbose: capture },
        { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
      );
    });
    afterEach(() => diag.disable());

    it('a provider failure whose message contains the secret: FAILED, counted, redacted', async () => {
      let calls = 0;
      const credentials = async () => {
        calls++;
        if (calls === 1) {
          // Already expired: the next export must call the provider again.
          return {
            accessKeyId: 'AKID',
            secretAccessKey: MARKER_SECRET,
            sessionToken: MARKER_TOKEN,
            expiration: new Date(Date.now() - 1000),
          };
        }
        throw new Error(`could not refresh ${MARKER_SECRET} / ${MARKER_TOKEN}`);
      };
      const exporter = make({ credentials });
      const first = await exportOnce(exporter, makeSpans());
      assert.equal(first.code, 0, String(first.error));
      const second = await exportOnce(exporter, makeSpans());
      assert.equal(second.code, 1);
      assert.equal(calls, 2);
      assert.equal(exporter.counters.signingFailures, 1);
      assert.match(String(second.error?.message), /SigV4 signing failed.*\[redacted\]/);
      const everything = lines.join('\n') + String(second.error?.message) + String(second.error?.stack);
      assert.ok(lines.some((l) => l.includes('SigV4 signing failed')));
      assert.ok(!everything.includes(MARKER_SECRET), 'secret key leaked');
      assert.ok(!everything.includes(MARKER_TOKEN), 'session token leaked');
    });

    it('an HTTP 403 with valid-looking credentials: FAILED and nothing secret logged', async () => {
      server.responses = [{ status: 403 }];
      const exporter = make({
        credentials: { accessKeyId: 'AKID', secretAccessKey: MARKER_SECRET, sessionToken: MARKER_TOKEN },
      });
      const result = await exportOnce(exporter, makeSpans());
      assert.equal(result.code, 1);
      assert.ok(lines.length > 0);
      const everything = lines.join('\n') + String(result.error?.message);
      assert.ok(!everything.includes(MARKER_SECRET));
      assert.ok(!everything.includes(MARKER_TOKEN));
    });
  });

  it('caches credentials between exports and never throws from export', async () => {
    let calls = 0;
    const exporter = make({ credentials: async () => (calls++, KEY) });
    await exportOnce(exporter, makeSpans());
    await exportOnce(exporter, makeSpans());
    assert.equal(calls, 1);
    await exporter.forceFlush();
    await exporter.shutdown();
    await exporter.shutdown();
    const after = await exportOnce(exporter, makeSpans());
    assert.equal(after.code, 1);
    const broken = make();
    // A batch the serializer cannot encode: the error comes back as FAILED, not thrown.
    const bad = await exportOnce(broken, [{} as ReadableSpan]);
    assert.equal(bad.code, 1);
  });

  describe('options and environment', () => {
    it('region from the X-Ray URL, from AWS_REGION, AWS_DEFAULT_REGION; a clear error without one', async () => {
      await withEnv(CLEAN_ENV, () => {
        const gov = new AWSXRayOtlpSpanExporter({
          url: 'https://xray.us-gov-west-1.amazonaws.com/v1/traces',
          credentials: KEY,
        });
        assert.equal(gov.region, 'us-gov-west-1');
        const cn = new AWSXRayOtlpSpanExporter({
          url: 'https://xray.cn-north-1.amazonaws.com.cn/v1/traces',
          credentials: KEY,
        });
        assert.equal(cn.region, 'cn-north-1');
        assert.throws(() => new AWSXRayOtlpSpanExporter({ credentials: KEY }), /no AWS region/);
        assert.throws(
          () => new AWSXRayOtlpSpanExporter({ url: 'http://127.0.0.1:4318/v1/traces' }),
          /no AWS region/,
        );
      });
      await withEnv({ ...CLEAN_ENV, AWS_DEFAULT_REGION: 'cn-northwest-1' }, () => {
        const e = new AWSXRayOtlpSpanExporter({ credentials: KEY });
        assert.equal(e.url, 'https://xray.cn-northwest-1.amazonaws.com.cn/v1/traces');
      });
      await withEnv({ ...CLEAN_ENV, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' }, () => {
        const e = new AWSXRayOtlpSpanExporter({ credentials: KEY });
        assert.equal(e.region, 'eu-west-1');
        assert.equal(e.url, 'https://xray.eu-west-1.amazonaws.com/v1/traces');
      });
    });

    it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used only when it is an X-Ray endpoint', async () => {
      await withEnv(
        {
          ...CLEAN_ENV,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://xray-fips.us-east-1.amazonaws.com/v1/traces',
        },
        () => {
          const e = new AWSXRayOtlpSpanExporter({ credentials: KEY });
          assert.equal(e.url, 'https://xray-fips.us-east-1.amazonaws.com/v1/traces');
          assert.equal(e.region, 'us-east-1');
        },
      );
      await withEnv(
        {
          ...CLEAN_ENV,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
          AWS_REGION: 'ap-south-1',
        },
        () => {
          const e = new AWSXRayOtlpSpanExporter({ credentials: KEY });
          assert.equal(e.url, 'https://xray.ap-south-1.amazonaws.com/v1/traces');
        },
      );
    });

    it('a region that contradicts the X-Ray host is warned about', async () => {
      const warnings: string[] = [];
      diag.setLogger(
        {
          error: () => {},
          warn: (m) => warnings.push(m),
          info: () => {},
          debug: () => {},
          verbose: () => {},
        },
        { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
      );
      try {
        new AWSXRayOtlpSpanExporter({
          url: 'https://xray.us-east-1.amazonaws.com/v1/traces',
          region: 'eu-west-1',
          credentials: KEY,
        });
      } finally {
        diag.disable();
      }
      assert.ok(warnings.some((w) => /signing for eu-west-1 but the endpoint is in us-east-1/.test(w)));
    });

    it('headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables; headers factory', async () => {
      await withEnv(
        {
          ...CLEAN_ENV,
          OTEL_EXPORTER_OTLP_HEADERS: 'x-env=one%20two,broken,x-bad=%E0%A4%A',
          OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '3000',
          OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        },
        async () => {
          const exporter = make({ headers: async () => ({ 'x-factory': 'f' }) });
          const result = await exportOnce(exporter, makeSpans());
          assert.equal(result.code, 0, String(result.error));
          const req = server.received[0];
          assert.equal(req.headers['x-env'], 'one two');
          assert.equal(req.headers['x-factory'], 'f');
          assert.equal(req.headers['x-bad'], undefined);
          assert.equal(req.headers['content-encoding'], 'gzip');
          assert.equal(await verifySignature(req, KEY), true);
        },
      );
    });
  });

  it('delivers to a real xray-local OTLP port (signature headers are ignored there)', async () => {
    const local = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
    const addresses = await local.start();
    try {
      const exporter = make({ url: `http://127.0.0.1:${addresses.otlpPort}/v1/traces` });
      const spans = makeSpans();
      const result = await exportOnce(exporter, spans);
      assert.equal(result.code, 0, String(result.error));
      const traceId = spans[0].spanContext().traceId;
      const stored = local.store.getTrace(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
      assert.ok(stored, 'trace stored in xray-local');
      assert.equal(local.stats().receivedBySource['otlp-http-protobuf'], 2);
    } finally {
      await local.stop();
    }
  });

  describe('the default credential chain, in a child process with a controlled environment', () => {
    /** Runs the exporter with no `credentials` option in a child node; returns its export result. */
    function runChild(env: Record<string, string>): Promise<{ code: number; error?: string }> {
      const script = `
        const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
        const { AWSXRayOtlpSpanExporter } = require('./packages/exporter-otlp/src/sigv4-exporter');
        const memory = new InMemorySpanExporter();
        const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
        provider.getTracer('child').startSpan('child-span').end();
        const exporter = new AWSXRayOtlpSpanExporter({ url: process.env.TEST_URL, region: 'us-east-1' });
        exporter.export(memory.getFinishedSpans(), (r) => {
          process.stdout.write(JSON.stringify({ code: r.code, error: r.error && r.error.message }));
          exporter.shutdown();
        });`;
      return new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          ['-r', './scripts/mocha-setup.js', '-e', script],
          {
            cwd: REPO,
            env: {
              PATH: process.env.PATH ?? '',
              AWS_EC2_METADATA_DISABLED: 'true',
              TEST_URL: server.url,
              ...env,
            },
            timeout: 30000,
          },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`${err.message}\n${stderr}`));
            else resolve(JSON.parse(stdout) as { code: number; error?: string });
          },
        );
      });
    }

    let home: string;
    beforeEach(() => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-sigv4-home-'));
    });
    afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

    it('env credentials (AWS_ACCESS_KEY_ID / SECRET / SESSION_TOKEN)', async () => {
      const result = await runChild({
        HOME: home,
        AWS_ACCESS_KEY_ID: KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
        AWS_SESSION_TOKEN: KEY.sessionToken,
      });
      assert.equal(result.code, 0, result.error);
      assert.equal(server.received.length, 1);
      assert.equal(await verifySignature(server.received[0], KEY), true);
    });

    it('a profile in ~/.aws/credentials selected by AWS_PROFILE', async () => {
      fs.mkdirSync(path.join(home, '.aws'));
      fs.writeFileSync(
        path.join(home, '.aws', 'credentials'),
        `[default]\naws_access_key_id = WRONG\naws_secret_access_key = WRONG\n\n[xray-test]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n`,
      );
      const result = await runChild({ HOME: home, AWS_PROFILE: 'xray-test' });
      assert.equal(result.code, 0, result.error);
      const req = server.received[0];
      assert.match(String(req.headers.authorization), /Credential=AKIDPROFILE\//);
      assert.equal(
        await verifySignature(req, { accessKeyId: 'AKIDPROFILE', secretAccessKey: 'profile-secret' }),
        true,
      );
    });

    it('no credentials anywhere: FAILED, counted, no request sent', async () => {
      const result = await runChild({ HOME: home });
      assert.equal(result.code, 1);
      assert.match(String(result.error), /SigV4 signing failed/);
      assert.equal(server.received.length, 0);
    });
  });
});
