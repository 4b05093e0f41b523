// AWSXRayRemoteSampler: X-Ray centralized sampling through the daemon's proxy (xray-protocol.md §5, §6.2).
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { context as contextApi, createContextKey, diag, SamplingDecision } from '@opentelemetry/api';
import type { Attributes, Context, Link, Sampler, SamplingResult, SpanKind } from '@opentelemetry/api';
import {
  DEFAULT_DAEMON_ADDRESS,
  isObject,
  parseDaemonAddress,
  RateLimitedLog,
  resolveDaemonAddress,
  samplingEndpoint,
} from '@xray-otel/core';
import { matchLower } from './glob';
import { AWSXRayLocalSampler, SAMPLING_RULE_ATTRIBUTE } from './local';
import { resourceRequest, spanRequest } from './request';
import type { SamplingRequest } from './request';

export interface AWSXRayRemoteSamplerOptions {
  resource?: { attributes: Record<string, unknown> };
  /** Default `http://<tcp part of AWS_XRAY_DAEMON_ADDRESS, else 127.0.0.1:2000>`. */
  endpoint?: string;
  /** Rules poll interval in seconds (default 300, plus up to 5 s jitter). */
  pollingInterval?: number;
  /** Local fallback rules (classic SDK JSON, version 1 or 2). */
  rulesFile?: string;
  /** Epoch milliseconds (tests). */
  clock?: () => number;
  /** [0, 1) (tests). */
  random?: () => number;
  /** 24 hex characters; default random per sampler instance. */
  clientId?: string;
}

export const DEFAULT_POLLING_INTERVAL_S = 300;
export const DEFAULT_TARGET_INTERVAL_S = 10;
export const RULE_CACHE_TTL_MS = 3600 * 1000;
const RULES_JITTER_MS = 5000;
const TARGETS_JITTER_MS = 100;
const REQUEST_TIMEOUT_MS = 5000;
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const MAX_PAGES = 100;
const MAX_DOCUMENTS_PER_CALL = 25;

/** A rule from GetSamplingRules, compiled, with its reservoir and statistics. */
interface RuleState {
  name: string;
  priority: number;
  fixedRate: number;
  reservoirSize: number;
  /** lower-cased patterns */
  serviceName: string;
  serviceType: string;
  host: string;
  httpMethod: string;
  urlPath: string;
  resourceArn: string;
  attributes: [string, string][];
  /** Quota per second from the last target, and its expiry (epoch ms). */
  quota?: number;
  quotaExpiresMs: number;
  /** Whether a target ever granted a quota (then: no more borrowing). */
  hadQuota: boolean;
  second: number;
  usedThisSecond: number;
  requests: number;
  sampled: number;
  borrowed: number;
}

/** One `SamplingStatisticsDocuments` entry, keys in the order the classic SDKs send them. */
export interface SamplingStatisticsDocument {
  RuleName: string;
  ClientID: string;
  RequestCount: number;
  BorrowCount: number;
  SampledCount: number;
  Timestamp: number;
}

/**
 * `@opentelemetry/core`'s suppress-tracing key (`createContextKey` is `Symbol.for(description)`, so
 * this is the same key without depending on core): HTTP instrumentation makes no spans for our
 * own calls to the proxy, as in the contrib and ADOT samplers.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** The sampling proxy of `AWS_XRAY_DAEMON_ADDRESS` (its TCP part), else of the default address. */
function defaultEndpoint(): string {
  try {
    return samplingEndpoint(resolveDaemonAddress(undefined));
  } catch (error) {
    diag.warn(`@xray-otel/sampler: ${(error as Error).message}; using ${DEFAULT_DAEMON_ADDRESS}`);
    return samplingEndpoint(parseDaemonAddress(DEFAULT_DAEMON_ADDRESS));
  }
}

/**
 * X-Ray centralized sampling. A root sampler: combine it with `AWSXRayParentBasedSampler` from
 * `@xray-otel/propagator`, which passes roots and remote parents without a decision (`Sampled=?`)
 * here. Pollers start at construction (timers unref'd); `shutdown()` stops them.
 */
export class AWSXRayRemoteSampler implements Sampler {
  readonly endpoint: string;
  readonly clientId: string;
  private readonly pollingIntervalS: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly fallback: AWSXRayLocalSampler;
  private readonly resourceFields: Pick<SamplingRequest, 'serviceName' | 'serviceType' | 'resourceArn'>;
  private readonly log = new RateLimitedLog((message) => diag.warn(message));
  private readonly skippedRules = new Set<string>();
  private rules: RuleState[] = [];
  private rulesFetchedAtMs = -Infinity;
  private targetIntervalS = DEFAULT_TARGET_INTERVAL_S;
  private rulesTimer: NodeJS.Timeout | undefined;
  private targetsTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: AWSXRayRemoteSamplerOptions = {}) {
    this.endpoint = (options.endpoint ?? defaultEndpoint()).replace(/\/+$/, '');
    this.pollingIntervalS =
      typeof options.pollingInterval === 'number' && options.pollingInterval > 0
        ? options.pollingInterval
        : DEFAULT_POLLING_INTERVAL_S;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.clientId =
      typeof options.clientId === 'string' && /^[0-9a-f]{24}$/.test(options.clientId)
        ? options.clientId
        : randomBytes(12).toString('hex');
    this.fallback = new AWSXRayLocalSampler({
      rulesFile: options.rulesFile,
      clock: this.clock,
      random: this.random,
    });
    this.resourceFields = resourceRequest(options.resource?.attributes ?? {});
    this.rulesTimer = this.schedule(() => this.pollRules(), 0);
    this.scheduleTargets();
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const now = this.clock();
    if (this.rules.length === 0 || now - this.rulesFetchedAtMs > RULE_CACHE_TTL_MS) {
      return this.fallback.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    }
    const spanAttributes = attributes ?? {};
    const req = spanRequest(spanAttributes);
    const host = (req.host ?? '').toLowerCase();
    const method = (req.httpMethod ?? '').toLowerCase();
    const path = (req.urlPath ?? '').toLowerCase();
    const serviceName = (this.resourceFields.serviceName ?? '').toLowerCase();
    const serviceType = (this.resourceFields.serviceType ?? '').toLowerCase();
    const arn = (this.resourceFields.resourceArn ?? '').toLowerCase();
    for (const rule of this.rules) {
      if (
        matchLower(rule.host, host) &&
        matchLower(rule.httpMethod, method) &&
        matchLower(rule.urlPath, path) &&
        matchLower(rule.serviceName, serviceName) &&
        matchLower(rule.serviceType, serviceType) &&
        matchLower(rule.resourceArn, arn) &&
        attributesMatch(rule.attributes, spanAttributes)
      ) {
        return this.decide(rule, now);
      }
    }
    return this.fallback.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  private decide(rule: RuleState, now: number): SamplingResult {
    const second = Math.floor(now / 1000);
    if (rule.second !== second) {
      rule.second = second;
      rule.usedThisSecond = 0;
    }
    rule.requests++;
    let sampled = false;
    if (rule.quota !== undefined && now <= rule.quotaExpiresMs) {
      if (rule.usedThisSecond < rule.quota) {
        rule.usedThisSecond++;
        sampled = true;
      }
    } else if (!rule.hadQuota && rule.reservoirSize > 0 && rule.usedThisSecond < 1) {
      rule.usedThisSecond++;
      rule.borrowed++;
      sampled = true;
    }
    if (!sampled) sampled = this.random() < rule.fixedRate;
    if (!sampled) return { decision: SamplingDecision.NOT_RECORD };
    rule.sampled++;
    return {
      decision: SamplingDecision.RECORD_AND_SAMPLED,
      attributes: { [SAMPLING_RULE_ATTRIBUTE]: rule.name },
    };
  }

  toString(): string {
    return `AWSXRayRemoteSampler{endpoint=${this.endpoint}, pollingInterval=${this.pollingIntervalS}s, fallback=${this.fallback.toString()}}`;
  }

  shutdown(): Promise<void> {
    this.closed = true;
    if (this.rulesTimer !== undefined) clearTimeout(this.rulesTimer);
    if (this.targetsTimer !== undefined) clearTimeout(this.targetsTimer);
    this.rulesTimer = undefined;
    this.targetsTimer = undefined;
    return Promise.resolve();
  }

  /** Names of the rules in match order (tests, diagnostics). */
  ruleNames(): string[] {
    return this.rules.map((rule) => rule.name);
  }

  private schedule(task: () => Promise<void>, delayMs: number): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const timer = setTimeout(() => {
      task().catch(() => undefined);
    }, delayMs);
    timer.unref();
    return timer;
  }

  private scheduleTargets(): void {
    this.targetsTimer = this.schedule(
      () => this.pollTargets(),
      this.targetIntervalS * 1000 + Math.random() * TARGETS_JITTER_MS,
    );
  }

  private async pollRules(): Promise<void> {
    await this.refreshRules();
    this.rulesTimer = this.schedule(
      () => this.pollRules(),
      this.pollingIntervalS * 1000 + Math.random() * Math.min(RULES_JITTER_MS, this.pollingIntervalS * 100),
    );
  }

  private async pollTargets(): Promise<void> {
    await this.reportStatistics();
    this.scheduleTargets();
  }

  /** Fetches all pages of GetSamplingRules and replaces the rule cache. Never rejects. */
  async refreshRules(): Promise<boolean> {
    try {
      const records: unknown[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const response = await this.post(
          '/GetSamplingRules',
          token === undefined ? {} : { NextToken: token },
        );
        if (!isObject(response) || !Array.isArray(response.SamplingRuleRecords)) {
          throw new Error('GetSamplingRules: response has no SamplingRuleRecords');
        }
        records.push(...(response.SamplingRuleRecords as unknown[]));
        token =
          typeof response.NextToken === 'string' && response.NextToken !== ''
            ? response.NextToken
            : undefined;
        if (token === undefined) break;
      }
      this.installRules(records);
      return true;
    } catch (error) {
      this.log.log(
        'rules',
        `@xray-otel/sampler: cannot get sampling rules from ${this.endpoint}: ${(error as Error).message}`,
      );
      return false;
    }
  }

  private installRules(records: unknown[]): void {
    const previous = new Map(this.rules.map((rule) => [rule.name, rule]));
    const rules: RuleState[] = [];
    for (const record of records) {
      const rule = isObject(record) ? record.SamplingRule : undefined;
      const compiled = this.compileRule(rule);
      if (compiled === undefined) continue;
      const old = previous.get(compiled.name);
      if (old !== undefined) {
        compiled.quota = old.quota;
        compiled.quotaExpiresMs = old.quotaExpiresMs;
        compiled.hadQuota = old.hadQuota;
        compiled.requests = old.requests;
        compiled.sampled = old.sampled;
        compiled.borrowed = old.borrowed;
        compiled.second = old.second;
        compiled.usedThisSecond = old.usedThisSecond;
      }
      rules.push(compiled);
    }
    rules.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.rules = rules;
    this.rulesFetchedAtMs = this.clock();
  }

  private compileRule(rule: unknown): RuleState | undefined {
    if (!isObject(rule) || typeof rule.RuleName !== 'string' || rule.RuleName === '') return undefined;
    const name = rule.RuleName;
    const skip = (reason: string): undefined => {
      if (!this.skippedRules.has(name)) {
        this.skippedRules.add(name);
        diag.warn(`@xray-otel/sampler: sampling rule ${JSON.stringify(name)} skipped: ${reason}`);
      }
      return undefined;
    };
    if ((rule.Version ?? 1) !== 1)
      return skip(`Version ${JSON.stringify(rule.Version)} is not supported (only 1)`);
    if (typeof rule.FixedRate !== 'number' || rule.FixedRate < 0 || rule.FixedRate > 1) {
      return skip('FixedRate must be a number 0..1');
    }
    const pattern = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '*');
    const attributes: [string, string][] = [];
    if (isObject(rule.Attributes)) {
      for (const [key, value] of Object.entries(rule.Attributes)) attributes.push([key, pattern(value)]);
    }
    return {
      name,
      priority: typeof rule.Priority === 'number' ? rule.Priority : 10000,
      fixedRate: rule.FixedRate,
      reservoirSize: typeof rule.ReservoirSize === 'number' ? rule.ReservoirSize : 0,
      serviceName: pattern(rule.ServiceName),
      serviceType: pattern(rule.ServiceType),
      host: pattern(rule.Host),
      httpMethod: pattern(rule.HTTPMethod),
      urlPath: pattern(rule.URLPath),
      resourceArn: pattern(rule.ResourceARN),
      attributes,
      quotaExpiresMs: -Infinity,
      hadQuota: false,
      second: -1,
      usedThisSecond: 0,
      requests: 0,
      sampled: 0,
      borrowed: 0,
    };
  }

  /** Takes the statistics of every rule that saw requests since the last call and resets them. */
  takeStatistics(): SamplingStatisticsDocument[] {
    const timestamp = Math.floor(this.clock() / 1000);
    const documents: SamplingStatisticsDocument[] = [];
    for (const rule of this.rules) {
      if (rule.requests === 0) continue;
      documents.push({
        RuleName: rule.name,
        ClientID: this.clientId,
        RequestCount: rule.requests,
        BorrowCount: rule.borrowed,
        SampledCount: rule.sampled,
        Timestamp: timestamp,
      });
      rule.requests = 0;
      rule.sampled = 0;
      rule.borrowed = 0;
    }
    return documents;
  }

  /** Sends the statistics and applies the targets. Never rejects. */
  async reportStatistics(): Promise<boolean> {
    const documents = this.takeStatistics();
    let ok = true;
    for (let i = 0; i < documents.length; i += MAX_DOCUMENTS_PER_CALL) {
      try {
        const response = await this.post('/SamplingTargets', {
          SamplingStatisticsDocuments: documents.slice(i, i + MAX_DOCUMENTS_PER_CALL),
        });
        this.applyTargets(response);
      } catch (error) {
        ok = false;
        this.log.log(
          'targets',
          `@xray-otel/sampler: cannot get sampling targets from ${this.endpoint}: ${(error as Error).message}`,
        );
      }
    }
    return ok;
  }

  private applyTargets(response: unknown): void {
    if (!isObject(response)) return;
    const targets = Array.isArray(response.SamplingTargetDocuments) ? response.SamplingTargetDocuments : [];
    for (const target of targets) {
      if (!isObject(target)) continue;
      const rule = this.rules.find((r) => r.name === target.RuleName);
      if (rule === undefined) continue;
      if (typeof target.FixedRate === 'number' && target.FixedRate >= 0 && target.FixedRate <= 1) {
        rule.fixedRate = target.FixedRate;
      }
      if (typeof target.ReservoirQuota === 'number' && target.ReservoirQuota >= 0) {
        rule.quota = target.ReservoirQuota;
        rule.hadQuota = true;
        // ReservoirQuotaTTL is epoch SECONDS (the Node classic SDK reads it as ms: §12 quirk 1).
        rule.quotaExpiresMs =
          typeof target.ReservoirQuotaTTL === 'number' ? target.ReservoirQuotaTTL * 1000 : Infinity;
      }
      if (typeof target.Interval === 'number' && target.Interval > 0) this.targetIntervalS = target.Interval;
    }
    const modified = response.LastRuleModification;
    if (typeof modified === 'number' && modified * 1000 > this.rulesFetchedAtMs) {
      void this.refreshRules();
    }
  }

  private post(path: string, body: unknown): Promise<unknown> {
    const suppressed = contextApi.active().setValue(SUPPRESS_TRACING_KEY, true);
    return contextApi.with(suppressed, () => this.send(path, body));
  }

  private send(path: string, body: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body));
      let url: URL;
      try {
        url = new URL(this.endpoint + path);
      } catch {
        reject(new Error(`invalid endpoint ${this.endpoint}`));
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              request.destroy(new Error('response too large'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299) {
              reject(new Error(`${path}: HTTP ${status} ${text.slice(0, 200)}`));
              return;
            }
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`${path}: response is not JSON`));
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${path}: timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
  }
}

function attributesMatch(patterns: [string, string][], attributes: Attributes): boolean {
  for (const [key, pattern] of patterns) {
    const value = attributes[key];
    if (value === undefined || value === null) return false;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (!matchLower(pattern, text.toLowerCase())) return false;
  }
  return true;
}

/** `OTEL_TRACES_SAMPLER_ARG`: `endpoint=…,polling_interval=…,rules_file=…`. */
export function parseSamplerArgument(arg: string | undefined): Partial<AWSXRayRemoteSamplerOptions> {
  const options: Partial<AWSXRayRemoteSamplerOptions> = {};
  if (arg === undefined || arg.trim() === '') return options;
  for (const part of arg.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (key === 'endpoint' && value !== '') options.endpoint = value;
    else if (key === 'polling_interval') {
      const seconds = Number(value);
      if (value !== '' && Number.isFinite(seconds) && seconds > 0) options.pollingInterval = seconds;
      else
        diag.warn(
          `@xray-otel/sampler: OTEL_TRACES_SAMPLER_ARG polling_interval=${JSON.stringify(value)} ignored: not a positive number of seconds`,
        );
    } else if (key === 'rules_file' && value !== '') options.rulesFile = value;
    else
      diag.warn(
        `@xray-otel/sampler: OTEL_TRACES_SAMPLER_ARG: unknown or empty key ${JSON.stringify(key)} ignored`,
      );
  }
  return options;
}
