// The classic SDKs' local sampling rules (xray-protocol.md §6.1) and AWSXRayLocalSampler.
import { readFileSync } from 'node:fs';
import { diag, SamplingDecision } from '@opentelemetry/api';
import type { Attributes, Context, Link, Sampler, SamplingResult, SpanKind } from '@opentelemetry/api';
import { AWS_XRAY_SAMPLING_RULE_ATTRIBUTE } from '@xray-otel/core';
import { matchLower } from './glob';
import { spanRequest } from './request';

/** The span attribute naming the rule that sampled a span. */
export const SAMPLING_RULE_ATTRIBUTE = AWS_XRAY_SAMPLING_RULE_ATTRIBUTE;

export interface LocalRule {
  description?: string;
  host?: string;
  service_name?: string;
  http_method: string;
  url_path: string;
  fixed_target: number;
  rate: number;
}

/** The classic SDKs' JSON rules file, version 1 or 2. */
export interface LocalRules {
  version: number;
  default: { fixed_target: number; rate: number };
  rules?: LocalRule[];
}

export const DEFAULT_LOCAL_RULES: LocalRules = {
  version: 2,
  default: { fixed_target: 1, rate: 0.05 },
  rules: [],
};

export interface AWSXRayLocalSamplerOptions {
  /** Path of a classic SDK rules file (JSON, version 1 or 2). */
  rulesFile?: string;
  /** Rules given directly; `rulesFile` wins when both are set. */
  rules?: LocalRules;
  /** Epoch milliseconds (tests). */
  clock?: () => number;
  /** [0, 1) (tests). */
  random?: () => number;
}

interface CompiledLocalRule {
  name: string;
  host: string;
  method: string;
  path: string;
  fixedTarget: number;
  rate: number;
  second: number;
  used: number;
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function isTarget(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks a rules document; throws an Error naming the problem. */
export function validateLocalRules(input: unknown): LocalRules {
  if (typeof input !== 'object' || input === null) throw new Error('rules must be a JSON object');
  const doc = input as Record<string, unknown>;
  if (doc.version !== 1 && doc.version !== 2) throw new Error('"version" must be 1 or 2');
  const def = doc.default as Record<string, unknown> | undefined;
  if (typeof def !== 'object' || def === null || !isTarget(def.fixed_target) || !isRate(def.rate)) {
    throw new Error('"default" needs "fixed_target" (integer >= 0) and "rate" (0..1)');
  }
  const rules = doc.rules ?? [];
  if (!Array.isArray(rules)) throw new Error('"rules" must be a list');
  rules.forEach((rule: Record<string, unknown>, i) => {
    const where = `rule ${i + 1}`;
    if (typeof rule !== 'object' || rule === null) throw new Error(`${where} must be an object`);
    const hostKey = doc.version === 2 ? 'host' : 'service_name';
    for (const key of [hostKey, 'http_method', 'url_path']) {
      if (typeof rule[key] !== 'string') throw new Error(`${where}: "${key}" must be a string`);
    }
    if (!isTarget(rule.fixed_target) || !isRate(rule.rate)) {
      throw new Error(`${where}: "fixed_target" (integer >= 0) and "rate" (0..1) are required`);
    }
  });
  return doc as unknown as LocalRules;
}

/** Reads and checks a rules file; on any problem logs and returns the default rules. */
export function loadLocalRules(path: string): LocalRules {
  try {
    return validateLocalRules(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    diag.error(
      `@xray-otel/sampler: sampling rules file ${path}: ${(error as Error).message}; using the default rule (1/s + 5 %)`,
    );
    return DEFAULT_LOCAL_RULES;
  }
}

/**
 * Samples by local rules only: rules in file order, first match wins, `default` last; each rule
 * takes `fixed_target` requests per wall-clock second, then `rate` of the rest. No network: the
 * right choice for Lambda.
 */
export class AWSXRayLocalSampler implements Sampler {
  private readonly rules: CompiledLocalRule[];
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly source: string;

  constructor(options: AWSXRayLocalSamplerOptions = {}) {
    let rules: LocalRules;
    if (options.rulesFile !== undefined) {
      rules = loadLocalRules(options.rulesFile);
      this.source = options.rulesFile;
    } else if (options.rules !== undefined) {
      try {
        rules = validateLocalRules(options.rules);
      } catch (error) {
        diag.error(`@xray-otel/sampler: local rules: ${(error as Error).message}; using the default rule`);
        rules = DEFAULT_LOCAL_RULES;
      }
      this.source = 'rules';
    } else {
      rules = DEFAULT_LOCAL_RULES;
      this.source = 'default';
    }
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    const compiled = (rules.rules ?? []).map((rule, i) => ({
      name:
        rule.description !== undefined && rule.description !== '' ? rule.description : `local-rule-${i + 1}`,
      host: (rule.host ?? rule.service_name ?? '*').toLowerCase(),
      method: rule.http_method.toLowerCase(),
      path: rule.url_path.toLowerCase(),
      fixedTarget: rule.fixed_target,
      rate: rule.rate,
      second: -1,
      used: 0,
    }));
    compiled.push({
      name: 'Default',
      host: '*',
      method: '*',
      path: '*',
      fixedTarget: rules.default.fixed_target,
      rate: rules.default.rate,
      second: -1,
      used: 0,
    });
    this.rules = compiled;
  }

  shouldSample(
    _context: Context,
    _traceId: string,
    _spanName: string,
    _spanKind: SpanKind,
    attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const req = spanRequest(attributes ?? {});
    const host = (req.host ?? '').toLowerCase();
    const method = (req.httpMethod ?? '').toLowerCase();
    const path = (req.urlPath ?? '').toLowerCase();
    const rule = this.rules.find(
      (r) => matchLower(r.host, host) && matchLower(r.method, method) && matchLower(r.path, path),
    ) as CompiledLocalRule; // the default rule matches everything
    const second = Math.floor(this.clock() / 1000);
    if (rule.second !== second) {
      rule.second = second;
      rule.used = 0;
    }
    let sampled: boolean;
    if (rule.used < rule.fixedTarget) {
      rule.used++;
      sampled = true;
    } else {
      sampled = this.random() < rule.rate;
    }
    return sampled
      ? {
          decision: SamplingDecision.RECORD_AND_SAMPLED,
          attributes: { [SAMPLING_RULE_ATTRIBUTE]: rule.name },
        }
      : { decision: SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `AWSXRayLocalSampler{rules=${this.source}}`;
  }
}
