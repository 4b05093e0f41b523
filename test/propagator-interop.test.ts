// Interop both ways between @xray-otel/propagator and the real peers: aws-xray-sdk-core 3.12
// (`utils.processTraceData`, its http patcher on a real request) and the contrib
// @opentelemetry/propagator-aws-xray (extract / inject from real SDK spans), plus the headers the
// classic SDKs sent downstream in the captured fixtures.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { AWSXRayPropagator as ContribPropagator } from '@opentelemetry/propagator-aws-xray';
import { BasicTracerProvider, AlwaysOnSampler, AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { AWSXRayPropagator, parseTraceHeader, toXRayTraceId } from '../packages/propagator/src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AWSXRay = require('aws-xray-sdk-core');

const shared = path.resolve(__dirname, '../../shared');
const wire = path.join(shared, 'fixtures', 'wire');
const ours = new AWSXRayPropagator();
const contrib = new ContribPropagator();

interface ProcessedTraceData {
  root?: string;
  parent?: string;
  sampled?: string;
}

function injectWith(propagator: { inject: AWSXRayPropagator['inject'] }, context: Context): string {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier['x-amzn-trace-id'];
}

function extractWith(
  propagator: { extract: AWSXRayPropagator['extract'] },
  header: string,
): SpanContext | undefined {
  return trace.getSpanContext(
    propagator.extract(ROOT_CONTEXT, { 'x-amzn-trace-id': header }, defaultTextMapGetter),
  );
}

function realSpanContexts(): SpanContext[] {
  const result: SpanContext[] = [];
  for (const sampler of [new AlwaysOnSampler(), new AlwaysOffSampler()]) {
    const tracer = new BasicTracerProvider({ sampler }).getTracer('interop');
    for (let i = 0; i < 20; i++) {
      const span = tracer.startSpan('work');
      result.push(span.spanContext());
      span.end();
    }
  }
  return result;
}

describe('interop: @xray-otel/propagator with aws-xray-sdk-core and the contrib propagator', () => {
  before(() => {
    AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });
    AWSXRay.enableManualMode();
    AWSXRay.setDaemonAddress('127.0.0.1:9'); // discard port: the SDK's UDP datagrams go nowhere
  });

  describe('headers we inject are read the same by the peers', () => {
    const extras = [
      ROOT_CONTEXT,
      ours.extract(
        ROOT_CONTEXT,
        {
          'x-amzn-trace-id':
            'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=10:1234abcd:3;Foo=bar',
        },
        defaultTextMapGetter,
      ),
    ];
    for (const [label, base] of [
      ['plain', extras[0]],
      ['with Lineage and Foo kept', extras[1]],
    ] as const) {
      it(`real SDK spans, ${label}`, () => {
        for (const spanContext of realSpanContexts()) {
          const header = injectWith(ours, trace.setSpanContext(base, spanContext));
          const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;

          const sdk = AWSXRay.utils.processTraceData(header) as ProcessedTraceData;
          assert.equal(sdk.root, toXRayTraceId(spanContext.traceId));
          assert.equal(sdk.parent, spanContext.spanId);
          assert.equal(sdk.sampled, sampled ? '1' : '0');

          const viaContrib = extractWith(contrib, header);
          assert.deepEqual(
            { traceId: viaContrib?.traceId, spanId: viaContrib?.spanId, traceFlags: viaContrib?.traceFlags },
            {
              traceId: spanContext.traceId,
              spanId: spanContext.spanId,
              traceFlags: spanContext.traceFlags & 1,
            },
          );
        }
      });
    }

    it('a forwarded root-only header keeps the trace for aws-xray-sdk-core (no Parent, as the ALB sent it)', () => {
      const forwarded = injectWith(
        ours,
        ours.extract(
          ROOT_CONTEXT,
          {
            'x-amzn-trace-id':
              'Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678',
          },
          defaultTextMapGetter,
        ),
      );
      assert.deepEqual(AWSXRay.utils.processTraceData(forwarded), {
        root: '1-67891233-abcdef012345678912345678',
        data: {},
      });
    });
  });

  describe('headers the peers produce are read by ours', () => {
    it('aws-xray-sdk-core http patcher on a real request (sampled and not sampled segments)', async () => {
      const received: string[] = [];
      const server = http.createServer((req, res) => {
        received.push(String(req.headers['x-amzn-trace-id']));
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const tracedHttp = AWSXRay.captureHTTPs(http, false);
      const segments: { trace_id: string; notTraced?: boolean; subsegments?: { id: string }[] }[] = [];
      try {
        for (const notTraced of [false, true, false]) {
          const segment = new AWSXRay.Segment('interop');
          if (notTraced) segment.notTraced = true;
          segments.push(segment);
          await new Promise<void>((resolve, reject) => {
            tracedHttp
              .get(
                { host: '127.0.0.1', port, path: '/', XRaySegment: segment },
                (res: http.IncomingMessage) => {
                  res.resume();
                  res.on('end', resolve);
                },
              )
              .on('error', reject);
          });
        }
      } finally {
        server.close();
      }
      assert.equal(received.length, 3);
      received.forEach((header, i) => {
        const segment = segments[i];
        const spanContext = extractWith(ours, header)!;
        assert.equal(toXRayTraceId(spanContext.traceId), segment.trace_id);
        assert.equal(spanContext.spanId, segment.subsegments![0].id);
        assert.equal(spanContext.traceFlags, segment.notTraced ? TraceFlags.NONE : TraceFlags.SAMPLED);
        assert.equal(spanContext.isRemote, true);
      });
    });

    it('contrib propagator injecting from real SDK spans', () => {
      for (const spanContext of realSpanContexts()) {
        const header = injectWith(contrib, trace.setSpanContext(ROOT_CONTEXT, spanContext));
        assert.deepEqual(extractWith(ours, header), {
          traceId: spanContext.traceId,
          spanId: spanContext.spanId,
          traceFlags: spanContext.traceFlags,
          isRemote: true,
        });
      }
    });

    it('every header the classic SDKs sent downstream in the captures', () => {
      const files = ['node', 'python'].flatMap((dir) =>
        readdirSync(path.join(wire, dir))
          .filter((f) => f.endsWith('.downstream.json'))
          .map((f) => path.join(wire, dir, f)),
      );
      let checked = 0;
      for (const file of files) {
        const requests = JSON.parse(readFileSync(file, 'utf8')) as {
          rawHeaders?: string[];
          raw_headers?: [string, string][];
        }[];
        for (const request of requests) {
          const pairs: [string, string][] =
            request.raw_headers ??
            (request.rawHeaders ?? []).flatMap((v, i, all) =>
              i % 2 === 0 ? [[v, all[i + 1]] as [string, string]] : [],
            );
          const header = pairs.find(([name]) => name.toLowerCase() === 'x-amzn-trace-id')?.[1];
          if (header === undefined) continue;
          checked++;
          const sdk = AWSXRay.utils.processTraceData(header) as ProcessedTraceData & {
            data?: Record<string, string>;
          };
          const parsed = parseTraceHeader(header);
          if (/Root=1-00000000-0{24}|Parent=0{16}/.test(header)) {
            // Python's unsampled dummy ids (spec §12.2, py-04, py-08): all-zero ids are invalid in
            // OpenTelemetry and rejected by X-Ray, so there is no parent to join.
            assert.equal(parsed, undefined, header);
            continue;
          }
          assert.ok(parsed, `${path.basename(file)}: ${header}`);
          assert.equal(toXRayTraceId(parsed.traceId), sdk.root);
          assert.equal(parsed.parentId, sdk.parent);
          assert.equal(parsed.sampled, sdk.sampled === '1');
          // Python forwards Lineage and application fields; we keep both too.
          if (sdk.data?.Lineage) assert.equal(parsed.lineage, sdk.data.Lineage);
          const sdkExtras = Object.entries(sdk.data ?? {}).filter(([k]) => k !== 'Lineage');
          assert.deepEqual(parsed.extraFields ?? [], sdkExtras);
        }
      }
      assert.ok(checked >= 15, `checked ${checked} headers`);
    });
  });
});
