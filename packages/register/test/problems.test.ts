import * as assert from 'node:assert/strict';
import { problemKey, toProblem } from '../src/problems';

describe('register problems (which diag lines reach the person)', () => {
  it('our own lines: the package prefix off, the rate limiter suffix off, errors kept', () => {
    assert.deepEqual(toProblem('@xray-otel/register: OTEL_TRACES_SAMPLER="x" is not one of a, b; using b.'), {
      key: 'OTEL_TRACES_SAMPLER="…" is not one of a, b; using b.',
      message: 'OTEL_TRACES_SAMPLER="x" is not one of a, b; using b.',
    });
    assert.equal(
      toProblem('@xray-otel/exporter-udp: segment document shrunk (3 similar messages suppressed)')?.message,
      'segment document shrunk',
    );
    assert.equal(
      toProblem('@xray-otel/register: rules file failed to load', [new Error('boom'), 'why', 42])?.message,
      'rules file failed to load: boom: why',
    );
  });

  it('an unreachable daemon (ECONNREFUSED): says spans are lost and what to check', () => {
    const problem = toProblem(
      '@xray-otel/exporter-udp: could not send a segment document to the X-Ray daemon at ' +
        '127.0.0.1:40000: ECONNREFUSED send ECONNREFUSED 127.0.0.1:40000',
    );
    assert.equal(problem?.key, 'daemon:127.0.0.1:40000:ECONNREFUSED');
    assert.match(problem?.message ?? '', /^nothing listens at the X-Ray daemon address 127\.0\.0\.1:40000 /);
    assert.match(problem?.message ?? '', /spans are lost.*AWS_XRAY_DAEMON_ADDRESS/);
    // The OTLP/UDP exporter's line for the same daemon is the same problem.
    const otlp = toProblem(
      '@xray-otel/exporter-otlp: could not send an OTLP datagram to the X-Ray daemon at ' +
        '127.0.0.1:40000: ECONNREFUSED send ECONNREFUSED 127.0.0.1:40000',
    );
    assert.equal(otlp?.key, problem?.key);
  });

  it('an unresolvable daemon host (ENOTFOUND, EAI_AGAIN); other send errors as they are', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const problem = toProblem(
        `@xray-otel/exporter-udp: could not send a segment document to the X-Ray daemon at ` +
          `nonexistent.invalid:2000: ${code} getaddrinfo ${code} nonexistent.invalid`,
      );
      assert.equal(problem?.key, `daemon:nonexistent.invalid:2000:${code}`);
      assert.match(problem?.message ?? '', /host of nonexistent\.invalid:2000 cannot be resolved/);
    }
    const tooBig = toProblem(
      '@xray-otel/exporter-udp: could not send a segment document to the X-Ray daemon at ' +
        '127.0.0.1:2000: EMSGSIZE send EMSGSIZE (datagram of 70000 bytes)',
    );
    assert.equal(tooBig?.key, 'daemon:127.0.0.1:2000:EMSGSIZE');
    assert.match(tooBig?.message ?? '', /^could not send .*EMSGSIZE/);
  });

  it('the sampling proxy out of reach: rules and targets are one problem', () => {
    const rules = toProblem(
      '@xray-otel/sampler: cannot get sampling rules from http://127.0.0.1:2000: connect ECONNREFUSED',
    );
    const targets = toProblem(
      '@xray-otel/sampler: cannot get sampling targets from http://127.0.0.1:2000: socket hang up',
    );
    assert.equal(rules?.key, 'sampler:http://127.0.0.1:2000');
    assert.equal(targets?.key, rules?.key);
    assert.match(rules?.message ?? '', /^cannot get X-Ray sampling rules from http:\/\/127\.0\.0\.1:2000 \(/);
    assert.match(rules?.message ?? '', /local fallback rules decide/);
  });

  it("register's flush / shutdown failures are the exporter's problem, said already", () => {
    assert.equal(toProblem('@xray-otel/register: shutdown at exit failed', [new Error('x')]), undefined);
    assert.equal(toProblem('@xray-otel/register: flush on SIGTERM failed'), undefined);
    assert.equal(toProblem('@xray-otel/register: flush after the invocation failed'), undefined);
    assert.match(
      toProblem('@xray-otel/register: shutdown at exit did not finish within 2000 ms; going on.')?.message ??
        '',
      /did not finish/,
    );
    assert.equal(
      toProblem('AWSXRayOtlpSpanExporter: SigV4 signing failed, spans dropped (no credentials)')?.message,
      'SigV4 signing failed, spans dropped (no credentials)',
    );
  });

  it('upstream: configuration and lost spans reach the person; the rest does not', () => {
    const kept = [
      'Dropped 12 spans because maxQueueSize reached',
      'BatchSpanProcessor: maxExportBatchSize must be smaller or equal to maxQueueSize, setting maxExportBatchSize to match maxQueueSize',
      "Unknown value '12x' for OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, expected a number, using defaults",
      'Unsupported OTEL_METRICS_EXPORTER value: "prom". Supported values are: otlp, console, none.',
      "Configuration: Could not parse environment-provided export URL: 'nope', falling back to undefined",
      'Header "x" has invalid value (undefined) and will be ignored',
      'Provided instrumentation name "@opentelemetry/instrumentation-nope" not found',
    ];
    for (const message of kept) {
      assert.equal(toProblem(message)?.message, 'OpenTelemetry: ' + message);
    }
    const dropped = [
      'Invalid attribute value set for key: user',
      '{"stack":"Error: no segment document could be sent","message":"..."}',
      'Accessing resource attributes before async attributes settled',
      '@opentelemetry/instrumentation-http',
      'Module express has been loaded before @opentelemetry/instrumentation-express',
    ];
    for (const message of dropped) assert.equal(toProblem(message), undefined, message);
    assert.equal(toProblem(undefined), undefined);
    assert.equal(toProblem({ message: 'not a string' }), undefined);
  });

  it('problemKey blurs numbers, IDs and quoted names', () => {
    assert.equal(
      problemKey('span "checkout" dropped: over 65000 bytes, trace 1-5759e988-bd862e3fe1be46a994272793'),
      'span "…" dropped: over # bytes, trace #',
    );
    assert.equal(problemKey('Dropped 3 spans'), problemKey('Dropped 4000 spans'));
    assert.equal(problemKey('x'.repeat(300)).length, 200);
  });
});
