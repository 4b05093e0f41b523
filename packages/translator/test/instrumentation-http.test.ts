/**
 * Spans made by the real `@opentelemetry/instrumentation-http` (root devDependency) for a real
 * Express server and a real `http` client, translated: what today's instrumentation emits is what
 * the translator must understand. Version 0.2xx emits the stable HTTP semantic conventions whatever
 * `OTEL_SEMCONV_STABILITY_OPT_IN` says (the old keys and `http/dup` are gone) and sets no response
 * size attribute: the size comes from the captured `Content-Length` header.
 */
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { REDACTED } from '@xray-otel/core';
import { spanToSegments, type Segment, type TranslatorOptions } from '../src';
import { schemaErrors } from './helpers';

const BODY = 'y'.repeat(246);

const CAPTURE_HEADERS: HttpInstrumentationConfig['headersToSpanAttributes'] = {
  server: {
    requestHeaders: ['authorization', 'cookie', 'x-api-key', 'host'],
    responseHeaders: ['content-length', 'set-cookie'],
  },
  client: { requestHeaders: ['authorization', 'cookie'], responseHeaders: ['content-length'] },
};

interface Exchange {
  server: ReadableSpan;
  client: ReadableSpan;
}

/**
 * One request from an instrumented `http` client to an instrumented Express app; the instrumentation
 * is enabled only for the exchange (it patches the process-wide `http` module) and uses its own
 * tracer provider (nothing is registered globally).
 */
async function exchange(
  config: HttpInstrumentationConfig,
  semconvOptIn: string | undefined,
  path = '/orders/42?access_token=abc123&page=2',
): Promise<Exchange> {
  const previous = process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
  if (semconvOptIn === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
  else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = semconvOptIn;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'orders',
      'telemetry.sdk.language': 'nodejs',
      'process.command_args': ['node', 'app.js', '--db-password=hunter2'],
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const instrumentation = new HttpInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  try {
    // Loaded after enable(): the instrumentation patches the module object on require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const http = require('node:http') as typeof import('node:http');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const express = require('express') as typeof import('express');
    const app = express();
    app.get('/orders/:id', (_req, res) => {
      res.cookie('session', 'server-secret');
      res.type('text/plain').send(BODY);
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port,
            path,
            headers: {
              authorization: 'Bearer client-secret',
              cookie: 'session=cookie-secret',
              'x-api-key': 'key-secret',
            },
          },
          (response) => {
            response.resume();
            response.on('end', resolve);
          },
        );
        request.on('error', reject);
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // The server span ends when the response finishes, possibly after the client saw the end.
    for (let i = 0; i < 50 && exporter.getFinishedSpans().length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    instrumentation.disable();
    if (previous === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
    else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = previous;
  }
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  const server = spans.find((span) => span.kind === SpanKind.SERVER);
  const client = spans.find((span) => span.kind === SpanKind.CLIENT);
  assert.ok(server && client, `spans: ${spans.map((span) => span.kind).join(',')}`);
  return { server, client };
}

function documentOf(span: ReadableSpan, options?: TranslatorOptions): Segment {
  const docs = spanToSegments(span, options);
  assert.equal(docs.length, 1);
  assert.equal(schemaErrors(docs[0]), undefined);
  return docs[0];
}

describe('spans of the real instrumentation-http', function () {
  this.timeout(20000);

  for (const mode of [undefined, 'http', 'http/dup']) {
    it(`content_length from the captured Content-Length (OTEL_SEMCONV_STABILITY_OPT_IN=${mode ?? 'unset'})`, async () => {
      const { server, client } = await exchange({ headersToSpanAttributes: CAPTURE_HEADERS }, mode);
      const serverDoc = documentOf(server);
      const clientDoc = documentOf(client);
      assert.equal(serverDoc.http?.response.content_length, 246);
      assert.equal(clientDoc.http?.response.content_length, 246);
      assert.equal(serverDoc.http?.response.status, 200);
      assert.equal(clientDoc.namespace, 'remote');
    });
  }

  it('the instrumentation emits the same stable keys in every OTEL_SEMCONV_STABILITY_OPT_IN mode', async () => {
    const keysOf = (span: ReadableSpan) => Object.keys(span.attributes).sort().join(' ');
    const first = await exchange({}, undefined);
    assert.ok(keysOf(first.server).includes('http.request.method'));
    assert.ok(!keysOf(first.server).includes('http.method'));
    for (const mode of ['http', 'http/dup']) {
      const other = await exchange({}, mode);
      assert.equal(keysOf(other.server), keysOf(first.server), mode);
      assert.equal(keysOf(other.client), keysOf(first.client), mode);
    }
  });

  it('captured authorization and cookie headers: present with redact off, masked with redact on', async () => {
    const { server, client } = await exchange({ headersToSpanAttributes: CAPTURE_HEADERS }, undefined);
    const SECRETS = ['client-secret', 'cookie-secret', 'key-secret', 'server-secret', 'abc123', 'hunter2'];

    // Off (the default, collector-exact): everything the instrumentation captured is sent.
    const serverOff = documentOf(server);
    const clientOff = documentOf(client);
    assert.deepEqual(serverOff.metadata?.default?.['http.request.header.authorization'], [
      'Bearer client-secret',
    ]);
    assert.deepEqual(serverOff.metadata?.default?.['http.request.header.cookie'], ['session=cookie-secret']);
    assert.deepEqual(clientOff.metadata?.default?.['http.request.header.authorization'], [
      'Bearer client-secret',
    ]);
    assert.ok(serverOff.http?.request.url?.includes('access_token=abc123'));
    const offText = JSON.stringify([serverOff, clientOff]);
    for (const secret of SECRETS) assert.ok(offText.includes(secret), `${secret} sent with redact off`);

    // On: masked in metadata, in the URL, and the command line is gone from the resource metadata.
    const options: TranslatorOptions = { redact: true };
    const serverOn = documentOf(server, options);
    const clientOn = documentOf(client, options);
    const serverHeaders = serverOn.metadata!.default;
    for (const header of ['authorization', 'cookie', 'x-api-key']) {
      assert.deepEqual(serverHeaders[`http.request.header.${header}`], [REDACTED], header);
    }
    assert.deepEqual(serverHeaders['http.response.header.set-cookie'], [REDACTED]);
    assert.match((serverHeaders['http.request.header.host'] as string[])[0], /^127\.0\.0\.1:\d+$/);
    assert.deepEqual(clientOn.metadata?.default?.['http.request.header.authorization'], [REDACTED]);
    assert.deepEqual(clientOn.metadata?.default?.['http.request.header.cookie'], [REDACTED]);
    assert.ok(serverOn.http?.request.url?.endsWith(`/orders/42?access_token=${REDACTED}&page=2`));
    assert.ok(clientOn.http?.request.url?.endsWith(`/orders/42?access_token=${REDACTED}&page=2`));
    assert.equal(serverOn.metadata?.default?.['otel.resource.process.command_args'], undefined);
    assert.equal(serverOn.http?.response.content_length, 246);
    const onText = JSON.stringify([serverOn, clientOn]);
    for (const secret of SECRETS) assert.ok(!onText.includes(secret), `${secret} sent with redact on`);
  });

  it('without captured headers the instrumentation gives no size: content_length stays 0', async () => {
    const { server, client } = await exchange({}, undefined);
    for (const span of [server, client]) {
      for (const key of Object.keys(span.attributes)) {
        assert.ok(!/content_length|body\.size/.test(key), `unexpected size attribute ${key}`);
      }
      assert.equal(documentOf(span).http?.response.content_length, 0);
    }
  });
});
