/**
 * @xray-otel/sampler: AWS X-Ray centralized sampling (rules and reservoirs through the daemon's
 * proxy) and local-rules sampling for OpenTelemetry JS.
 */
export { AWSXRayRemoteSampler, parseSamplerArgument, DEFAULT_POLLING_INTERVAL_S } from './remote';
export type { AWSXRayRemoteSamplerOptions, SamplingStatisticsDocument } from './remote';
export { AWSXRayLocalSampler, SAMPLING_RULE_ATTRIBUTE, DEFAULT_LOCAL_RULES } from './local';
export type { AWSXRayLocalSamplerOptions, LocalRules, LocalRule } from './local';
export { globMatch } from './glob';
