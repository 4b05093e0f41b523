// OTEL_TRACES_SAMPLER with NodeSDK's meaning, except that the parent-based samplers are
// AWSXRayParentBasedSampler: a remote parent whose X-Amzn-Trace-Id says `Sampled=?` (or nothing)
// is decided by the root sampler, as the X-Ray SDKs do, instead of being dropped.
import { AWSXRayParentBasedSampler } from '@xray-otel/propagator';
import { getSamplerSetting } from './env';
import type { Env, SamplerSetting } from './env';
import { loadSdkTrace } from './otel';
import type { Sampler, SdkTraceModule } from './otel';

export function createSampler(setting: SamplerSetting, sdkTrace: SdkTraceModule = loadSdkTrace()): Sampler {
  const base = setting.name.replace(/^parentbased_/, '');
  const root =
    base === 'always_off'
      ? new sdkTrace.AlwaysOffSampler()
      : base === 'traceidratio'
        ? new sdkTrace.TraceIdRatioBasedSampler(setting.ratio)
        : new sdkTrace.AlwaysOnSampler();
  return setting.name.startsWith('parentbased_')
    ? (new AWSXRayParentBasedSampler({ root }) as Sampler)
    : root;
}

export function createSamplerFromEnv(env: Env, sdkTrace?: SdkTraceModule): Sampler {
  return createSampler(getSamplerSetting(env), sdkTrace);
}
