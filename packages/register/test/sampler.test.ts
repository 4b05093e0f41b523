import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { XRAY_SAMPLING_DEFERRED_KEY } from '@xray-otel/propagator';
import { createSamplerFromEnv } from '../src/sampler';
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

  it('xray falls back to the default for now', () => {
    const { result } = captureDiag(() => createSamplerFromEnv({ OTEL_TRACES_SAMPLER: 'xray' }));
    assert.match(result.toString(), /^AWSXRayParentBased\{root=AlwaysOnSampler/);
  });
});
