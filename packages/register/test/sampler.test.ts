import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, SamplingResult } from '@opentelemetry/api';
import { XRAY_SAMPLING_DEFERRED_KEY } from '@xray-otel/propagator';
import { xrayNodeSDKConfig } from '../src/config';
import {
  buildSamplerFromEnv,
  createSamplerFromEnv,
  getSamplingEndpoint,
  loadXRaySampler,
  samplerShutdownProcessor,
} from '../src/sampler';
import type { XRaySamplerModule } from '../src/sampler';
import { captureDiag } from './diag-capture';

const TRACE = '5759e988bd862e3fe1be46a994272793';

function remoteParent(sampled: boolean, deferred: boolean): Context {
  const ctx = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE,
    spanId: '53995c3f42cd8ad8',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
  return deferred ? ctx.setValue(XRAY_SAMPLING_DEFERRED_KEY, true) : ctx;
}

function decide(env: Record<string, string>, ctx: Context = ROOT_CONTEXT): SamplingDecision {
  return createSamplerFromEnv(env).shouldSample(ctx, TRACE, 'n', SpanKind.SERVER, {}, []).decision;
}

describe('register sampler', () => {
  it('default: X-Ray parent-based, always on at the root', () => {
    const sampler = createSamplerFromEnv({});
    assert.match(sampler.toString(), /^AWSXRayParentBased\{root=AlwaysOnSampler/);
    assert.equal(decide({}), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide({}, remoteParent(false, false)), SamplingDecision.NOT_RECORD);
  });

  it('a deferred (Sampled=?) remote parent is decided by the root sampler', () => {
    assert.equal(decide({}, remoteParent(false, true)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(
      decide({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, remoteParent(false, true)),
      SamplingDecision.NOT_RECORD,
    );
  });

  it('every spec sampler name', () => {
    assert.equal(createSamplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_on' }).toString(), 'AlwaysOnSampler');
    assert.equal(createSamplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString(), 'AlwaysOffSampler');
    assert.match(
      createSamplerFromEnv({
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.5',
      }).toString(),
      /TraceIdRatioBased\{0\.5\}/,
    );
    assert.match(
      createSamplerFromEnv({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      }).toString(),
      /^AWSXRayParentBased\{root=TraceIdRatioBased\{0\}/,
    );
    assert.equal(decide({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }), SamplingDecision.NOT_RECORD);
    // A sampled remote parent is followed even with an always-off root.
    assert.equal(
      decide({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, remoteParent(true, false)),
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  describe('xray', () => {
    interface Made {
      kind: 'remote' | 'local';
      options: unknown;
      shutdowns: number;
    }
    function fakeModule(made: Made[]): () => XRaySamplerModule {
      class Remote {
        readonly made: Made;
        constructor(options: unknown) {
          this.made = { kind: 'remote', options, shutdowns: 0 };
          made.push(this.made);
        }
        shouldSample(): SamplingResult {
          return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { rule: 'r' } };
        }
        toString(): string {
          return 'Remote';
        }
        shutdown(): Promise<void> {
          this.made.shutdowns++;
          return Promise.resolve();
        }
      }
      class Local {
        constructor(options: unknown) {
          made.push({ kind: 'local', options, shutdowns: 0 });
        }
        shouldSample(): SamplingResult {
          return { decision: SamplingDecision.NOT_RECORD };
        }
        toString(): string {
          return 'Local';
        }
      }
      return () => ({
        AWSXRayRemoteSampler: Remote,
        AWSXRayLocalSampler: Local,
        parseSamplerArgument: (arg) => {
          const out: Record<string, unknown> = {};
          for (const pair of (arg ?? '').split(',')) {
            const [k, v] = pair.split('=');
            if (k === 'endpoint') out.endpoint = v;
            if (k === 'polling_interval') out.pollingInterval = Number(v);
            if (k === 'rules_file') out.rulesFile = v;
          }
          out.unset = undefined;
          return out;
        },
      });
    }

    it('xray: the remote sampler alone, endpoint from the daemon address, env resource', async () => {
      const made: Made[] = [];
      const created = buildSamplerFromEnv(
        {
          OTEL_TRACES_SAMPLER: 'xray',
          AWS_XRAY_DAEMON_ADDRESS: 'tcp:10.0.0.9:2001 udp:10.0.0.9:2000',
          OTEL_SERVICE_NAME: 'checkout',
          OTEL_RESOURCE_ATTRIBUTES: 'cloud.platform=aws_ecs,service.name=ignored,bad,deployment=a%2Cb',
        },
        undefined,
        { xraySampler: fakeModule(made) },
      );
      assert.equal(created.sampler.toString(), 'Remote');
      assert.equal(made.length, 1);
      assert.deepEqual(made[0].options, {
        endpoint: 'http://10.0.0.9:2001',
        resource: {
          attributes: { 'cloud.platform': 'aws_ecs', 'service.name': 'checkout', deployment: 'a,b' },
        },
      });
      await created.shutdown?.();
      assert.equal(made[0].shutdowns, 1);
    });

    it('parentbased_xray: X-Ray parent-based around the remote sampler; the argument wins', () => {
      const made: Made[] = [];
      const created = buildSamplerFromEnv(
        {
          OTEL_TRACES_SAMPLER: 'parentbased_xray',
          OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://proxy:2000,polling_interval=60,rules_file=/r.json',
          OTEL_RESOURCE_ATTRIBUTES: 'x=%E0%A4%A',
        },
        undefined,
        { xraySampler: fakeModule(made) },
      );
      assert.match(created.sampler.toString(), /^AWSXRayParentBased\{root=Remote/);
      assert.deepEqual(made[0].options, {
        endpoint: 'http://proxy:2000',
        pollingInterval: 60,
        rulesFile: '/r.json',
        resource: { attributes: { x: '%E0%A4%A' } },
      });
      const deferred = created.sampler.shouldSample(
        remoteParent(false, true),
        TRACE,
        'n',
        SpanKind.SERVER,
        {},
        [],
      );
      assert.deepEqual(deferred.attributes, { rule: 'r' });
      assert.equal(
        created.sampler.shouldSample(remoteParent(false, false), TRACE, 'n', SpanKind.SERVER, {}, [])
          .decision,
        SamplingDecision.NOT_RECORD,
      );
    });

    it('in Lambda: the local sampler (no polling, nothing to shut down)', () => {
      const made: Made[] = [];
      const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'f' };
      const created = buildSamplerFromEnv({ ...lambda, OTEL_TRACES_SAMPLER: 'xray' }, undefined, {
        xraySampler: fakeModule(made),
      });
      assert.equal(created.sampler.toString(), 'Local');
      assert.equal(created.shutdown, undefined);
      buildSamplerFromEnv(
        { ...lambda, OTEL_TRACES_SAMPLER: 'parentbased_xray', OTEL_TRACES_SAMPLER_ARG: 'rules_file=/x.json' },
        undefined,
        { xraySampler: fakeModule(made) },
      );
      assert.deepEqual(
        made.map((m) => [m.kind, m.options]),
        [
          ['local', {}],
          ['local', { rulesFile: '/x.json' }],
        ],
      );
    });

    it('sampling endpoint: default, IPv6, option, and a bad address is reported', () => {
      assert.equal(getSamplingEndpoint({}), 'http://127.0.0.1:2000');
      assert.equal(getSamplingEndpoint({ AWS_XRAY_DAEMON_ADDRESS: '[::1]:3000' }), 'http://[::1]:3000');
      assert.equal(getSamplingEndpoint({ AWS_XRAY_DAEMON_ADDRESS: 'a:1' }, 'b:2'), 'http://b:2');
      const { result, messages } = captureDiag(() =>
        getSamplingEndpoint({ AWS_XRAY_DAEMON_ADDRESS: 'nope' }),
      );
      assert.equal(result, 'http://127.0.0.1:2000');
      assert.ok(messages.some((m) => /nope/.test(m)));
    });

    it('the shutdown processor stops the sampler once, with the tracer provider', async () => {
      let calls = 0;
      const processor = samplerShutdownProcessor(() => {
        calls++;
        return Promise.resolve();
      });
      processor.onStart({} as never, ROOT_CONTEXT);
      processor.onEnd({} as never);
      await processor.forceFlush();
      await Promise.all([processor.shutdown(), processor.shutdown()]);
      assert.equal(calls, 1);
    });

    it('xrayNodeSDKConfig: a remote xray sampler adds its shutdown processor; an explicit sampler wins', async () => {
      assert.equal(typeof loadXRaySampler().AWSXRayRemoteSampler, 'function');
      const env = { OTEL_TRACES_SAMPLER: 'parentbased_xray', OTEL_TRACES_EXPORTER: 'none' };
      const config = xrayNodeSDKConfig({ env, instrumentations: [] });
      assert.match(config.sampler!.toString(), /^AWSXRayParentBased\{root=/);
      assert.equal(config.spanProcessors.length, 1);
      await Promise.all(config.spanProcessors.map((p) => p.shutdown()));
      const mine = createSamplerFromEnv({});
      const other = xrayNodeSDKConfig({ env, instrumentations: [], sampler: mine });
      assert.equal(other.sampler, mine);
      assert.equal(other.spanProcessors.length, 0);
    });
  });
});
