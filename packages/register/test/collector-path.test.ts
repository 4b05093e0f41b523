// The collector path gives the same X-Ray annotations as the daemon path: one span, exported once
// with OTEL_TRACES_EXPORTER=xray (UDP segments) and once with otlp (OTLP/HTTP to a collector stand-in,
// xray-local, which translates like the collector's awsxray exporter), both with
// OTEL_AWS_XRAY_INDEXED_ATTRIBUTES.
import * as assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { XRayLocal } from '@xray-otel/local';
import type { SegmentDocument } from '@xray-otel/local';
import { xrayNodeSDKConfig } from '../src/config';
import type { Env } from '../src/env';

async function exportOneSpan(local: XRayLocal, env: Env): Promise<SegmentDocument> {
  const config = xrayNodeSDKConfig({
    env: { OTEL_NODE_RESOURCE_DETECTORS: 'none', ...env },
    instrumentations: [],
  });
  const provider = new BasicTracerProvider({
    idGenerator: config.idGenerator,
    spanProcessors: config.spanProcessors as unknown as SpanProcessor[],
  });
  const span = provider.getTracer('t').startSpan('GET /orders', {
    kind: SpanKind.SERVER,
    attributes: { 'order.id': 'o-42', 'customer.tier': 'gold', other: 'x' },
  });
  span.end();
  const { traceId } = span.spanContext();
  const id = `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
  await provider.forceFlush();
  for (let i = 0; i < 100; i++) {
    const trace = local.store.getTrace(id);
    if (trace !== undefined && trace.documents.length > 0) {
      await provider.shutdown();
      return trace.documents[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await provider.shutdown();
  assert.fail(`trace ${id} not received: ${JSON.stringify(local.rejected())}`);
}

describe('register: annotations through a collector equal the daemon path', () => {
  const local = new XRayLocal({ udpPort: 0, tcpPort: 0, otlpPort: 0, uiPort: 0, quiet: true });
  let udpPort = 0;
  let otlpPort = 0;
  before(async () => ({ udpPort, otlpPort } = await local.start()));
  after(() => local.stop());

  it('OTEL_AWS_XRAY_INDEXED_ATTRIBUTES', async () => {
    const indexed = { OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'order.id,customer.tier' };
    const daemon = await exportOneSpan(local, {
      ...indexed,
      OTEL_TRACES_EXPORTER: 'xray',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${udpPort}`,
    });
    const collector = await exportOneSpan(local, {
      ...indexed,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
    });
    assert.deepEqual(daemon.annotations, { 'order.id': 'o-42', 'customer.tier': 'gold' });
    assert.deepEqual(collector.annotations, daemon.annotations);
    const metadata = (doc: SegmentDocument): unknown =>
      (doc.metadata as Record<string, unknown> | undefined)?.default;
    assert.deepEqual(metadata(collector), metadata(daemon));
  });
});
