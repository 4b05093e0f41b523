// AWSXRayParentBasedSampler: the SDK's ParentBasedSampler plus one rule: a remote parent whose
// header carried no sampling decision (Sampled=? or absent, see XRAY_SAMPLING_DEFERRED_KEY) is
// decided by `root`, as X-Ray SDKs do (spec §6.3). Structural: implements the api's Sampler
// interface, which the SDK's Sampler matches on both the 2.x and 3.x lines; no SDK dependency.
import { isSpanContextValid, SamplingDecision, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, Sampler, SamplingResult } from '@opentelemetry/api';
import { isSamplingDeferred } from './context-keys';

/** Same options and defaults as the SDK's `ParentBasedSampler`. */
export interface AWSXRayParentBasedSamplerConfig {
  /** Decides root spans and remote parents without a sampling decision. Required. */
  root: Sampler;
  /** Default: always on. */
  remoteParentSampled?: Sampler;
  /** Default: always off. */
  remoteParentNotSampled?: Sampler;
  /** Default: always on. */
  localParentSampled?: Sampler;
  /** Default: always off. */
  localParentNotSampled?: Sampler;
}

/** Like the SDK's AlwaysOnSampler (same result and name). */
class AlwaysOn implements Sampler {
  shouldSample(): SamplingResult {
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }
  toString(): string {
    return 'AlwaysOnSampler';
  }
}

/** Like the SDK's AlwaysOffSampler (same result and name). */
class AlwaysOff implements Sampler {
  shouldSample(): SamplingResult {
    return { decision: SamplingDecision.NOT_RECORD };
  }
  toString(): string {
    return 'AlwaysOffSampler';
  }
}

export class AWSXRayParentBasedSampler implements Sampler {
  private readonly _root: Sampler;
  private readonly _remoteParentSampled: Sampler;
  private readonly _remoteParentNotSampled: Sampler;
  private readonly _localParentSampled: Sampler;
  private readonly _localParentNotSampled: Sampler;

  constructor(config: AWSXRayParentBasedSamplerConfig) {
    // The SDK reports a missing root to its error handler and falls back to always on; so do we.
    this._root = config.root ?? new AlwaysOn();
    this._remoteParentSampled = config.remoteParentSampled ?? new AlwaysOn();
    this._remoteParentNotSampled = config.remoteParentNotSampled ?? new AlwaysOff();
    this._localParentSampled = config.localParentSampled ?? new AlwaysOn();
    this._localParentNotSampled = config.localParentNotSampled ?? new AlwaysOff();
  }

  /** Decides with the sampler {@link samplerFor} picks for the parent in the context. */
  shouldSample(...args: Parameters<Sampler['shouldSample']>): SamplingResult {
    return this.samplerFor(args[0]).shouldSample(...args);
  }

  /**
   * The ParentBased choice, except that a remote parent without a decision (`Sampled=?`) goes to the
   * root sampler, as the X-Ray SDKs decide such requests themselves.
   */
  samplerFor(context: Context): Sampler {
    const parent = trace.getSpanContext(context);
    if (parent === undefined || !isSpanContextValid(parent)) return this._root;
    const sampled = (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
    if (!parent.isRemote) return sampled ? this._localParentSampled : this._localParentNotSampled;
    if (sampled) return this._remoteParentSampled;
    return isSamplingDeferred(context) ? this._root : this._remoteParentNotSampled;
  }

  toString(): string {
    return (
      `AWSXRayParentBased{root=${this._root.toString()}, ` +
      `remoteParentSampled=${this._remoteParentSampled.toString()}, ` +
      `remoteParentNotSampled=${this._remoteParentNotSampled.toString()}, ` +
      `localParentSampled=${this._localParentSampled.toString()}, ` +
      `localParentNotSampled=${this._localParentNotSampled.toString()}}`
    );
  }
}
