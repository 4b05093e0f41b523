import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Context, type Span } from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { REDACTED, redactionRules } from '@xray-otel/core';
import { spanToSegments } from '@xray-otel/translator';
import fc from 'fast-check';
import { AWSXRaySpanProcessor, resolveSpanProcessorOptions, type AWSXRaySpanProcessorOptions } from '../src';
import type { ProcessorSpan } from '../src/span';

interface Harness {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  processor: AWSXRaySpanProcessor;
  start(
    name: string,
    kind: SpanKind,
    attributes?: Record<string, string | number | string[]>,
    parent?: Context,
  ): Span;
  finished(): ReadableSpan[];
  byName(name: string): ReadableSpan;
}

function harness(
  options: AWSXRaySpanProcessorOptions = {},
  resource: Record<string, string> = { 'service.name': 'orders' },
  wrap: (processor: AWSXRaySpanProcessor) => SpanProcessor = (processor) =>
    processor as unknown as SpanProcessor,
): Harness {
  const exporter = new InMemorySpanExporter();
  const processor = new AWSXRaySpanProcessor(options);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [wrap(processor), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test');
  return {
    provider,
    exporter,
    processor,
    start: (name, kind, attributes = {}, parent = ROOT_CONTEXT) =>
      tracer.startSpan(name, { kind, attributes }, parent),
    finished: () => exporter.getFinishedSpans(),
    byName(name) {
      const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
      assert.ok(span, `no finished span named ${name}`);
      return span;
    },
  };
}

/** A context whose parent came from another process (an extracted trace header). */
function remoteParent(): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '5759e988bd862e3fe1be46a994272793',
    spanId: '53995c3f42cd8ad8',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

const AWS_KEYS = [
  'aws.span.kind',
  'aws.local.service',
  'aws.local.operation',
  'aws.remote.service',
  'aws.remote.operation',
  'aws.remote.resource.type',
  'aws.remote.resource.identifier',
];

/** The aws.* attributes the processor deals with. */
function awsAttributes(span: ReadableSpan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of AWS_KEYS) if (span.attributes[key] !== undefined) out[key] = span.attributes[key];
  return out;
}

describe('AWSXRaySpanProcessor', () => {
  describe('server spans', () => {
    it('a root SERVER span: LOCAL_ROOT, the service, and the final METHOD route', () => {
      const h = harness();
      const server = h.start('GET', SpanKind.SERVER, {
        'http.request.method': 'GET',
        'url.path': '/users/42',
      });
      // As instrumentation-http does at the response's end when a framework routed the request.
      server.setAttribute('http.route', '/users/:id');
      server.updateName('GET /users/:id');
      server.end();
      const span = h.byName('GET /users/:id');
      assert.deepEqual(awsAttributes(span), {
        'aws.span.kind': 'LOCAL_ROOT',
        'aws.local.service': 'orders',
        'aws.local.operation': 'GET /users/:id',
      });
      const [segment, ...more] = spanToSegments(span);
      assert.equal(more.length, 0);
      assert.equal(segment.name, 'orders');
      assert.equal(segment.type, undefined);
    });

    it('a server span whose name is only the method: METHOD http.route, else ADOT’s first path segment', () => {
      const h = harness();
      const routed = h.start('GET', SpanKind.SERVER, {
        'http.request.method': 'GET',
        'url.path': '/users/42',
      });
      routed.setAttribute('http.route', '/users/:id');
      routed.end();
      const raw = h.start('POST', SpanKind.SERVER, { 'http.method': 'POST', 'http.target': '/orders/9?x=1' });
      raw.end();
      assert.equal(h.finished()[0].attributes['aws.local.operation'], 'GET /users/:id');
      assert.equal(h.finished()[1].attributes['aws.local.operation'], 'POST /orders');
    });

    it('a SERVER span with a remote parent is a local root; one with a local parent is SERVER', () => {
      const h = harness();
      const server = h.start('GET /a', SpanKind.SERVER, {}, remoteParent());
      const nested = h.start('GET /b', SpanKind.SERVER, {}, trace.setSpan(ROOT_CONTEXT, server));
      nested.end();
      server.end();
      assert.equal(h.byName('GET /a').attributes['aws.span.kind'], 'LOCAL_ROOT');
      assert.deepEqual(awsAttributes(h.byName('GET /b')), {
        'aws.span.kind': 'SERVER',
        'aws.local.service': 'orders',
        'aws.local.operation': 'GET /b',
      });
    });
  });

  describe('local operation inherited by children (ADOT attribute propagation)', () => {
    it('children of a server span take its operation at their start, the route the framework recorded included', () => {
      const h = harness();
      const server = h.start('GET', SpanKind.SERVER, {
        'http.request.method': 'GET',
        'url.path': '/users/42',
      });
      const inServer = trace.setSpan(ROOT_CONTEXT, server);
      const early = h.start('middleware', SpanKind.INTERNAL, {}, inServer);
      early.end();
      // express records the matched route in the RPC metadata of @opentelemetry/core.
      const routed = setRPCMetadata(inServer, { type: RPCType.HTTP, span: server, route: '/users/:id' });
      const handler = h.start('request handler', SpanKind.INTERNAL, {}, routed);
      const db = h.start(
        'SELECT',
        SpanKind.CLIENT,
        { 'db.system': 'postgresql', 'db.statement': 'SELECT 1' },
        trace.setSpan(routed, handler),
      );
      db.end();
      handler.end();
      server.setAttribute('http.route', '/users/:id');
      server.updateName('GET /users/:id');
      server.end();
      // Before routing, ADOT's rule: METHOD + first path segment.
      assert.equal(h.byName('middleware').attributes['aws.local.operation'], 'GET /users');
      assert.equal(h.byName('request handler').attributes['aws.local.operation'], 'GET /users/:id');
      assert.deepEqual(awsAttributes(h.byName('SELECT')), {
        'aws.span.kind': 'CLIENT',
        'aws.local.service': 'orders',
        'aws.local.operation': 'GET /users/:id',
        'aws.remote.service': 'postgresql',
        'aws.remote.operation': 'SELECT',
      });
      // An internal child is no service and no dependency: it only carries the operation.
      assert.deepEqual(awsAttributes(h.byName('request handler')), {
        'aws.local.operation': 'GET /users/:id',
      });
    });

    it('RPC metadata of another span is not used', () => {
      const h = harness();
      const server = h.start('GET', SpanKind.SERVER, {
        'http.request.method': 'GET',
        'url.path': '/users/42',
      });
      const other = h.start('other', SpanKind.SERVER);
      const ctx = setRPCMetadata(trace.setSpan(ROOT_CONTEXT, server), {
        type: RPCType.HTTP,
        span: other,
        route: '/x',
      });
      h.start('child', SpanKind.INTERNAL, {}, ctx).end();
      assert.equal(h.byName('child').attributes['aws.local.operation'], 'GET /users');
    });

    it('a local root that is not a server span: InternalOperation, for it and its children', () => {
      const h = harness();
      const job = h.start('nightly-job', SpanKind.INTERNAL);
      const call = h.start(
        'GET',
        SpanKind.CLIENT,
        { 'url.full': 'http://h/x' },
        trace.setSpan(ROOT_CONTEXT, job),
      );
      call.end();
      job.end();
      assert.deepEqual(awsAttributes(h.byName('nightly-job')), {
        'aws.span.kind': 'LOCAL_ROOT',
        'aws.local.service': 'orders',
        'aws.local.operation': 'InternalOperation',
      });
      assert.equal(h.byName('GET').attributes['aws.local.operation'], 'InternalOperation');
      // The translator names an internal local root after the service.
      assert.equal(spanToSegments(h.byName('nightly-job'))[0].name, 'orders');
    });

    it('an app-set operation is kept and inherited; a client without any gets UnknownOperation', () => {
      const h = harness();
      const job = h.start('job', SpanKind.INTERNAL, { 'aws.local.operation': 'Reconcile' });
      const call = h.start('call', SpanKind.CLIENT, {}, trace.setSpan(ROOT_CONTEXT, job));
      call.end();
      job.end();
      assert.equal(h.byName('job').attributes['aws.local.operation'], 'Reconcile');
      assert.equal(h.byName('call').attributes['aws.local.operation'], 'Reconcile');
      // A parent that is no SDK span (a wrapped span context): nothing to inherit.
      const orphan = h.start(
        'orphan',
        SpanKind.CLIENT,
        {},
        trace.setSpanContext(ROOT_CONTEXT, job.spanContext()),
      );
      orphan.end();
      assert.equal(h.byName('orphan').attributes['aws.local.operation'], 'UnknownOperation');
    });

    it('an internal span that names the remote side names it for its children (ADOT)', () => {
      const h = harness();
      const wrapper = h.start('ledger call', SpanKind.INTERNAL, {
        'aws.remote.service': 'ledger',
        'aws.remote.operation': 'Post',
      });
      const inWrapper = trace.setSpan(ROOT_CONTEXT, wrapper);
      const http = h.start(
        'POST',
        SpanKind.CLIENT,
        { 'server.address': '10.0.0.9', 'server.port': 8080 },
        inWrapper,
      );
      const own = h.start('own', SpanKind.CLIENT, { 'aws.remote.service': 'mine' }, inWrapper);
      http.end();
      own.end();
      wrapper.end();
      assert.equal(h.byName('POST').attributes['aws.remote.service'], 'ledger');
      assert.equal(h.byName('POST').attributes['aws.remote.operation'], 'Post');
      assert.equal(h.byName('own').attributes['aws.remote.service'], 'mine');
    });
  });

  describe('dependencies', () => {
    it('an HTTP client call to an uninstrumented server: named by host:port, not GET', () => {
      const h = harness();
      const job = h.start('job', SpanKind.INTERNAL);
      const call = h.start(
        'GET',
        SpanKind.CLIENT,
        {
          'http.request.method': 'GET',
          'server.address': '127.0.0.1',
          'server.port': 8080,
          'url.full': 'http://127.0.0.1:8080/users/42',
        },
        trace.setSpan(ROOT_CONTEXT, job),
      );
      call.setAttribute('http.response.status_code', 200);
      call.end();
      job.end();
      const span = h.byName('GET');
      assert.deepEqual(awsAttributes(span), {
        'aws.span.kind': 'CLIENT',
        'aws.local.service': 'orders',
        'aws.local.operation': 'InternalOperation',
        'aws.remote.service': '127.0.0.1:8080',
        'aws.remote.operation': 'GET /users',
      });
      const [subsegment] = spanToSegments(span);
      assert.equal(subsegment.name, '127.0.0.1:8080');
      assert.equal(subsegment.namespace, 'remote');
    });

    it('a root CLIENT span (a script): LOCAL_ROOT, so a service segment plus the dependency subsegment', () => {
      const h = harness();
      const call = h.start('GET', SpanKind.CLIENT, {
        'http.request.method': 'GET',
        'url.full': 'https://api.example.com/v1/things',
        'server.address': 'api.example.com',
        'server.port': 443,
      });
      call.end();
      const span = h.byName('GET');
      assert.equal(span.attributes['aws.span.kind'], 'LOCAL_ROOT');
      assert.equal(span.attributes['aws.local.operation'], 'InternalOperation');
      const [dependency, service] = spanToSegments(span);
      assert.equal(dependency.name, 'api.example.com:443');
      assert.equal(dependency.type, 'subsegment');
      assert.equal(dependency.namespace, 'remote');
      assert.equal(service.name, 'orders');
      assert.equal(service.type, undefined);
      assert.equal(dependency.parent_id, service.id);
    });

    it('a CLIENT span with a remote parent (a worker continuing a trace) is a local root too', () => {
      const h = harness();
      h.start(
        'publish',
        SpanKind.PRODUCER,
        { 'messaging.system': 'kafka', 'messaging.operation': 'publish' },
        remoteParent(),
      ).end();
      const span = h.byName('publish');
      assert.equal(span.attributes['aws.span.kind'], 'LOCAL_ROOT');
      assert.equal(span.attributes['aws.remote.service'], 'kafka');
      assert.equal(spanToSegments(span).length, 2);
    });

    it('an AWS SDK call (instrumentation-aws-sdk attributes): AWS::DynamoDB and the table', () => {
      const h = harness();
      const server = h.start('GET /orders/:id', SpanKind.SERVER);
      const call = h.start(
        'DynamoDB.GetItem',
        SpanKind.CLIENT,
        {
          'rpc.system': 'aws-api',
          'rpc.service': 'DynamoDB',
          'rpc.method': 'GetItem',
          'db.system.name': 'dynamodb',
          'aws.dynamodb.table_names': ['orders'],
        },
        trace.setSpan(ROOT_CONTEXT, server),
      );
      call.setAttribute('aws.request.id', 'REQ-1');
      call.end();
      server.end();
      const span = h.byName('DynamoDB.GetItem');
      assert.deepEqual(awsAttributes(span), {
        'aws.span.kind': 'CLIENT',
        'aws.local.service': 'orders',
        'aws.local.operation': 'GET /orders/:id',
        'aws.remote.service': 'AWS::DynamoDB',
        'aws.remote.operation': 'GetItem',
        'aws.remote.resource.type': 'AWS::DynamoDB::Table',
        'aws.remote.resource.identifier': 'orders',
      });
      const [subsegment] = spanToSegments(span);
      assert.equal(subsegment.name, 'DynamoDB');
      assert.equal(subsegment.namespace, 'aws');
    });

    it('attribute values the app set are kept', () => {
      const h = harness();
      const mine = {
        'aws.span.kind': 'Client',
        'aws.local.service': 'my service!',
        'aws.local.operation': 'MyOp',
        'aws.remote.service': 'ledger (v2)',
        'aws.remote.operation': 'Post',
        'aws.remote.resource.type': 'My::Type',
        'aws.remote.resource.identifier': 'x',
      };
      h.start('call', SpanKind.CLIENT, {
        ...mine,
        'rpc.system': 'aws-api',
        'rpc.service': 'S3',
        'aws.s3.bucket': 'b',
      }).end();
      assert.deepEqual(awsAttributes(h.byName('call')), mine);
      // One of the resource pair set by the app: the pair is not completed.
      h.start('half', SpanKind.CLIENT, {
        'aws.remote.resource.type': 'My::Type',
        'rpc.system': 'aws-api',
        'aws.s3.bucket': 'b',
      }).end();
      assert.equal(h.byName('half').attributes['aws.remote.resource.identifier'], undefined);
    });

    it('names it sets are cleaned to what X-Ray accepts (issue 11 item 4)', () => {
      const h = harness({}, { 'service.name': 'orders (prod)' });
      h.start('call', SpanKind.CLIENT, { 'peer.service': 'billing [v2]' }).end();
      h.start('bad', SpanKind.CLIENT, { 'peer.service': '(((' }).end();
      const span = h.byName('call');
      assert.equal(span.attributes['aws.local.service'], 'orders prod');
      assert.equal(span.attributes['aws.remote.service'], 'billing v2');
      assert.equal(h.byName('bad').attributes['aws.remote.service'], undefined, 'nothing left: not set');
      assert.equal(spanToSegments(span)[1].name, 'orders prod');
    });

    it('no placeholder: a client span that names nothing keeps the translator’s own naming', () => {
      const h = harness();
      const job = h.start('job', SpanKind.INTERNAL);
      h.start('custom-call', SpanKind.CLIENT, {}, trace.setSpan(ROOT_CONTEXT, job)).end();
      const span = h.byName('custom-call');
      assert.equal(span.attributes['aws.remote.service'], undefined);
      assert.equal(span.attributes['aws.remote.operation'], undefined);
      assert.equal(spanToSegments(span)[0].name, 'custom-call');
    });

    it('producers and consumers (ADOT: a process span under a receive span is no dependency)', () => {
      const h = harness();
      const root = h.start('job', SpanKind.INTERNAL);
      const inRoot = trace.setSpan(ROOT_CONTEXT, root);
      h.start(
        'send',
        SpanKind.PRODUCER,
        { 'messaging.system': 'rabbitmq', 'messaging.operation': 'publish' },
        inRoot,
      ).end();
      const receive = h.start(
        'receive',
        SpanKind.CONSUMER,
        { 'messaging.system': 'rabbitmq', 'messaging.operation': 'receive' },
        inRoot,
      );
      const process = h.start(
        'process',
        SpanKind.CONSUMER,
        { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process' },
        trace.setSpan(ROOT_CONTEXT, receive),
      );
      const processAlone = h.start(
        'process alone',
        SpanKind.CONSUMER,
        { 'messaging.operation.type': 'process' },
        inRoot,
      );
      process.end();
      processAlone.end();
      receive.end();
      root.end();
      assert.equal(h.byName('send').attributes['aws.span.kind'], 'PRODUCER');
      assert.equal(h.byName('receive').attributes['aws.span.kind'], 'CONSUMER');
      assert.equal(h.byName('receive').attributes['aws.remote.operation'], 'receive');
      assert.deepEqual(awsAttributes(h.byName('process')), { 'aws.local.operation': 'InternalOperation' });
      assert.equal(h.byName('process alone').attributes['aws.span.kind'], 'CONSUMER');
      // A process span that is a local root (the message carried the trace) is LOCAL_ROOT with its dependency.
      h.start(
        'process root',
        SpanKind.CONSUMER,
        { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process' },
        remoteParent(),
      ).end();
      assert.equal(h.byName('process root').attributes['aws.span.kind'], 'LOCAL_ROOT');
      assert.equal(h.byName('process root').attributes['aws.remote.service'], 'rabbitmq');
    });
  });

  describe('aws.local.service', () => {
    it('not set when the SDK made the name up (ADOT writes UnknownService)', () => {
      for (const name of ['unknown_service', 'unknown_service:node', 'unknown_service:/usr/bin/node', '']) {
        const h = harness({}, { 'service.name': name });
        h.start('GET', SpanKind.SERVER).end();
        h.start('GET', SpanKind.SERVER).end();
        assert.equal(h.byName('GET').attributes['aws.local.service'], undefined, name);
        assert.equal(h.byName('GET').attributes['aws.span.kind'], 'LOCAL_ROOT', name);
      }
    });

    it('computed once per resource, and per resource', () => {
      const a = harness({}, { 'service.name': 'a' });
      const b = harness({}, { 'service.name': 'b' });
      // One processor shared by two providers.
      const shared = a.processor;
      const spanA = a.start('x', SpanKind.SERVER) as unknown as ProcessorSpan;
      const spanB = b.start('y', SpanKind.SERVER) as unknown as ProcessorSpan;
      shared.onEnding(spanA);
      shared.onEnding(spanB);
      shared.onEnding(spanA);
      assert.equal(spanA.attributes['aws.local.service'], 'a');
      assert.equal(spanB.attributes['aws.local.service'], 'b');
    });

    it('while the resource is pending: the service name the environment gives it, cleaned', () => {
      for (const [env, expected] of [
        [{ OTEL_SERVICE_NAME: 'worker (prod)' }, 'worker prod'],
        [{ OTEL_RESOURCE_ATTRIBUTES: 'a=b,service.name=night%20job' }, 'night job'],
        [{ OTEL_SERVICE_NAME: ' ', OTEL_RESOURCE_ATTRIBUTES: 'service.name=%E0' }, undefined],
        [{ OTEL_SERVICE_NAME: 'unknown_service:node' }, undefined],
        [{}, undefined],
      ] as const) {
        assert.equal(resolveSpanProcessorOptions({}, env).pendingServiceName, expected, JSON.stringify(env));
      }
      assert.equal(resolveSpanProcessorOptions({ serviceName: 'mine' }, {}).pendingServiceName, 'mine');
      const processor = new AWSXRaySpanProcessor({ serviceName: 'first-calls' });
      const attributes: Record<string, unknown> = {};
      const span: ProcessorSpan = {
        name: 'GET',
        kind: SpanKind.CLIENT,
        attributes,
        resource: { attributes: { 'service.name': 'x' }, asyncAttributesPending: true },
        setAttribute: (key, value) => (attributes[key] = value),
      };
      processor.onStart(span, ROOT_CONTEXT);
      processor.onEnding(span);
      assert.equal(attributes['aws.local.service'], 'first-calls');
      assert.equal(attributes['aws.span.kind'], 'LOCAL_ROOT');
    });

    it('not set while the resource’s attributes are pending and the environment names no service, nor for a span without resource', () => {
      const processor = new AWSXRaySpanProcessor({ serviceName: '' });
      const attributes: Record<string, unknown> = {};
      const span: ProcessorSpan = {
        name: 'GET',
        kind: SpanKind.SERVER,
        attributes,
        resource: { attributes: { 'service.name': 'x' }, asyncAttributesPending: true },
        setAttribute: (key, value) => (attributes[key] = value),
      };
      processor.onStart(span, ROOT_CONTEXT);
      processor.onEnding(span);
      assert.equal(attributes['aws.local.service'], undefined);
      assert.equal(attributes['aws.span.kind'], 'LOCAL_ROOT');
      const bare: ProcessorSpan = {
        name: 'GET',
        kind: SpanKind.SERVER,
        attributes: {},
        setAttribute: () => undefined,
      };
      processor.onEnding(bare);
    });
  });

  describe('redaction (collector path)', () => {
    it('masks a captured authorization header and a token in url.full; removes the command line', () => {
      const h = harness();
      const call = h.start('GET', SpanKind.CLIENT, {
        'url.full': 'https://api.example.com/v1?access_token=abc123&page=2',
        'http.request.header.authorization': ['Bearer abc123'],
        'process.command_line': 'node app.js --password=hunter2',
      });
      call.setAttribute('http.response.header.set-cookie', ['session=s3cr3t']);
      call.end();
      const span = h.byName('GET');
      assert.equal(span.attributes['url.full'], `https://api.example.com/v1?access_token=${REDACTED}&page=2`);
      assert.deepEqual(span.attributes['http.request.header.authorization'], [REDACTED]);
      assert.deepEqual(span.attributes['http.response.header.set-cookie'], [REDACTED]);
      assert.equal('process.command_line' in span.attributes, false);
      assert.equal(span.attributes['aws.remote.service'], 'api.example.com');
      assert.ok(!JSON.stringify(span.attributes).includes('abc123'));
    });

    it('redact: false, a list of extra names, RedactionRules; OTEL_AWS_XRAY_REDACT', () => {
      const attributes = { 'http.request.header.authorization': ['Bearer x'], 'x-tenant-secret': 't' };
      const off = harness({ redact: false });
      assert.equal(off.processor.redaction, undefined);
      off.start('a', SpanKind.CLIENT, attributes).end();
      assert.deepEqual(off.byName('a').attributes['http.request.header.authorization'], ['Bearer x']);
      const extra = harness({ redact: ['x-tenant-secret'] });
      extra.start('b', SpanKind.CLIENT, attributes).end();
      assert.equal(extra.byName('b').attributes['x-tenant-secret'], undefined);
      const rules = redactionRules(['x']);
      assert.equal(harness({ redact: rules }).processor.redaction, rules);
      assert.equal(resolveSpanProcessorOptions({}, { OTEL_AWS_XRAY_REDACT: 'off' }).redaction, undefined);
      assert.ok(
        resolveSpanProcessorOptions({}, { OTEL_AWS_XRAY_REDACT: 'x-a' }).redaction?.attributes.has('x-a'),
      );
      assert.ok(resolveSpanProcessorOptions({ redact: true }, {}).redaction?.headers.has('authorization'));
    });
  });

  describe('Lambda (AWS_LAMBDA_FUNCTION_NAME)', () => {
    it('every ingress is <function>/FunctionHandler, resolved once at construction', () => {
      assert.equal(
        resolveSpanProcessorOptions({}, { AWS_LAMBDA_FUNCTION_NAME: ' resize ' }).lambdaOperation,
        'resize/FunctionHandler',
      );
      assert.equal(resolveSpanProcessorOptions({}, {}).lambdaOperation, undefined);
      const saved = process.env.AWS_LAMBDA_FUNCTION_NAME;
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'resize';
      let h: Harness;
      try {
        h = harness();
      } finally {
        if (saved === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
        else process.env.AWS_LAMBDA_FUNCTION_NAME = saved;
      }
      const invocation = h.start('resize', SpanKind.SERVER, {}, remoteParent());
      const call = h.start('S3.GetObject', SpanKind.CLIENT, {}, trace.setSpan(ROOT_CONTEXT, invocation));
      call.end();
      invocation.end();
      h.start('loose', SpanKind.INTERNAL).end();
      assert.equal(h.byName('resize').attributes['aws.local.operation'], 'resize/FunctionHandler');
      assert.equal(h.byName('S3.GetObject').attributes['aws.local.operation'], 'resize/FunctionHandler');
      assert.equal(h.byName('loose').attributes['aws.local.operation'], 'resize/FunctionHandler');
    });
  });

  describe('SDKs without onEnding (OpenTelemetry JS before 2.3)', () => {
    it('does the work in onEnd, in the ended span’s attributes, before the exporting processor sees it', () => {
      // The SDK only calls onEnding on processors that have it: hide ours.
      const h = harness({}, { 'service.name': 'orders' }, (processor) => ({
        onStart: (span, context) => processor.onStart(span, context),
        onEnd: (span) => processor.onEnd(span),
        forceFlush: () => processor.forceFlush(),
        shutdown: () => processor.shutdown(),
      }));
      const call = h.start('GET', SpanKind.CLIENT, {
        'url.full': 'http://127.0.0.1:8080/users/1?token=abc',
        'process.command_args': ['node', '--secret=x'],
      });
      call.end();
      const span = h.byName('GET');
      assert.equal(span.attributes['aws.span.kind'], 'LOCAL_ROOT');
      assert.equal(span.attributes['aws.remote.service'], '127.0.0.1:8080');
      assert.equal(span.attributes['url.full'], `http://127.0.0.1:8080/users/1?token=${REDACTED}`);
      assert.equal(span.attributes['process.command_args'], undefined);
    });

    it('once onEnding was seen, onEnd does nothing', () => {
      const processor = new AWSXRaySpanProcessor();
      const attributes: Record<string, unknown> = {};
      const span: ProcessorSpan = {
        name: 'x',
        kind: SpanKind.CLIENT,
        attributes,
        setAttribute: (k, v) => (attributes[k] = v),
      };
      processor.onEnding(span);
      delete attributes['aws.span.kind'];
      processor.onEnd(span);
      assert.equal(attributes['aws.span.kind'], undefined);
    });

    it('1.x spans (parentSpanId, no parentSpanContext): a remote parent still makes a local root', () => {
      const processor = new AWSXRaySpanProcessor();
      const make = (parentSpanId?: string): ProcessorSpan & { attributes: Record<string, unknown> } => {
        const attributes: Record<string, unknown> = {};
        return {
          name: 'GET',
          kind: SpanKind.CLIENT,
          attributes,
          parentSpanId,
          setAttribute: (k, v) => (attributes[k] = v),
        };
      };
      const remote = make('53995c3f42cd8ad8');
      processor.onStart(remote, remoteParent());
      processor.onEnd(remote);
      assert.equal(remote.attributes['aws.span.kind'], 'LOCAL_ROOT');
      const local = make('53995c3f42cd8ad8');
      const parentContext = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: '53995c3f42cd8ad8',
        traceFlags: TraceFlags.SAMPLED,
      });
      processor.onStart(local, parentContext);
      processor.onEnd(local);
      assert.equal(local.attributes['aws.span.kind'], 'CLIENT');
    });
  });

  describe('lifecycle and robustness', () => {
    it('forceFlush and shutdown resolve; it exports nothing', async () => {
      const processor = new AWSXRaySpanProcessor();
      await processor.forceFlush();
      await processor.shutdown();
    });

    it('a span without a parent context is handled as a root', () => {
      const processor = new AWSXRaySpanProcessor();
      const attributes: Record<string, unknown> = {};
      const span: ProcessorSpan = {
        name: 'x',
        kind: SpanKind.CLIENT,
        attributes,
        setAttribute: (k, v) => (attributes[k] = v),
      };
      processor.onStart(span);
      processor.onEnding(span);
      assert.equal(attributes['aws.span.kind'], 'LOCAL_ROOT');
    });

    it('never throws on hostile spans: throwing getters, odd kinds, odd values (fast-check)', () => {
      const processor = new AWSXRaySpanProcessor({ redact: ['x'] });
      // Never sees onEnding: does everything in onEnd.
      const fallback = new AWSXRaySpanProcessor();
      const value = fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
        fc.object(),
      );
      const keys = fc.oneof(
        fc.constantFrom(
          'url.full',
          'http.url',
          'http.target',
          'url.query',
          'url.path',
          'server.address',
          'server.port',
          'net.peer.name',
          'net.peer.port',
          'rpc.system',
          'rpc.service',
          'rpc.method',
          'db.system',
          'db.statement',
          'db.connection_string',
          'messaging.operation',
          'aws.dynamodb.table_names',
          'aws.sns.topic.arn',
          'aws.sqs.queue.url',
          'faas.invoked_name',
          'peer.service',
          'http.request.header.authorization',
          'process.command_line',
          'aws.remote.service',
          'aws.local.operation',
          'http.route',
        ),
        fc.string(),
      );
      const hostile = fc.record({
        name: fc.oneof(fc.string(), fc.constant(undefined), fc.integer()),
        kind: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constant(Number.NaN), fc.constant(undefined)),
        attributes: fc.dictionary(keys, value),
        throwing: fc.array(keys, { maxLength: 2 }),
        parent: fc.constantFrom('none', 'remote', 'local', 'weird'),
        resource: fc.oneof(
          fc.constant(undefined),
          fc.record({ attributes: fc.dictionary(fc.constantFrom('service.name', 'x'), value) }),
        ),
        throwingSetAttribute: fc.boolean(),
      });
      fc.assert(
        fc.property(hostile, (input) => {
          const attributes: Record<string, unknown> = { ...input.attributes };
          for (const key of input.throwing)
            Object.defineProperty(attributes, key, {
              enumerable: true,
              configurable: true,
              get() {
                throw new Error('hostile getter');
              },
            });
          const span = {
            name: input.name,
            kind: input.kind,
            attributes,
            resource: input.resource,
            parentSpanContext:
              input.parent === 'remote'
                ? { isRemote: true }
                : input.parent === 'local'
                  ? { isRemote: false }
                  : undefined,
            parentSpanId: input.parent === 'weird' ? 'abc' : undefined,
            setAttribute(key: string, v: unknown) {
              if (input.throwingSetAttribute) throw new Error('closed');
              attributes[key] = v;
            },
          } as unknown as ProcessorSpan;
          const parentSpan = { name: input.name, kind: input.kind, attributes };
          const context = trace.setSpan(ROOT_CONTEXT, parentSpan as unknown as Span);
          processor.onStart(span, context);
          processor.onEnding(span);
          processor.onEnd(span);
          fallback.onStart(span, context);
          fallback.onEnd(span);
        }),
        { numRuns: 500 },
      );
    });
  });
});
