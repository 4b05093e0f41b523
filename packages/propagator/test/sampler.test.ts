import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, Sampler, SamplingResult } from '@opentelemetry/api';
import { ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { AWSXRayParentBasedSampler } from '../src/sampler';
import { XRAY_SAMPLING_DEFERRED_KEY } from '../src/context-keys';

const TRACE = '5759e988bd862e3fe1be46a994272793';

/** Answers with its own name in the result's attributes so a test can see which branch decided. */
function named(name: string): Sampler {
  return {
    shouldSample: (): SamplingResult => ({ decision: SamplingDecision.RECORD, attributes: { branch: name } }),
    toString: () => name,
  };
}

function withParent(isRemote: boolean, sampled: boolean, deferred = false): Context {
  const ctx = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE,
    spanId: '53995c3f42cd8ad8',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote,
  });
  return deferred ? ctx.setValue(XRAY_SAMPLING_DEFERRED_KEY, true) : ctx;
}

const contexts: Record<string, Context> = {
  'no parent': ROOT_CONTEXT,
  'invalid parent': trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0'.repeat(32),
    spanId: '0'.repeat(16),
    traceFlags: 1,
  }),
  'remote sampled': withParent(true, true),
  'remote not sampled': withParent(true, false),
  'local sampled': withParent(false, true),
  'local not sampled': withParent(false, false),
  // The deferred flag only counts for the remote parent it was extracted with:
  'remote sampled, flag set': withParent(true, true, true),
  'local not sampled, flag set': withParent(false, false, true),
};

function decide(sampler: Sampler, ctx: Context): SamplingResult {
  return sampler.shouldSample(ctx, TRACE, 'span', SpanKind.SERVER, {}, []);
}

describe('AWSXRayParentBasedSampler', () => {
  const config = {
    root: named('root'),
    remoteParentSampled: named('remoteParentSampled'),
    remoteParentNotSampled: named('remoteParentNotSampled'),
    localParentSampled: named('localParentSampled'),
    localParentNotSampled: named('localParentNotSampled'),
  };

  for (const [name, ctx] of Object.entries(contexts)) {
    it(`decides like the SDK's ParentBasedSampler: ${name}`, () => {
      assert.deepEqual(
        decide(new AWSXRayParentBasedSampler(config), ctx),
        decide(new ParentBasedSampler(config), ctx),
      );
      // Defaults too.
      const root = named('root');
      assert.deepEqual(
        decide(new AWSXRayParentBasedSampler({ root }), ctx),
        decide(new ParentBasedSampler({ root }), ctx),
      );
    });
  }

  it('lets root decide a remote parent whose sampling was deferred (the SDK would not sample it)', () => {
    const deferred = withParent(true, false, true);
    assert.equal(decide(new AWSXRayParentBasedSampler(config), deferred).attributes?.branch, 'root');
    assert.equal(
      decide(new ParentBasedSampler(config), deferred).attributes?.branch,
      'remoteParentNotSampled',
    );
  });

  it('names itself like the SDK sampler', () => {
    const ours = new AWSXRayParentBasedSampler({ root: named('root') }).toString();
    const sdk = new ParentBasedSampler({ root: named('root') }).toString();
    assert.equal(ours, 'AWSXRay' + sdk);
  });

  it('falls back to always on without a root, like the SDK', () => {
    const sampler = new AWSXRayParentBasedSampler({} as { root: Sampler });
    assert.equal(decide(sampler, ROOT_CONTEXT).decision, SamplingDecision.RECORD_AND_SAMPLED);
  });
});
