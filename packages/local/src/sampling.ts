/**
 * The daemon's sampling proxy, answered locally (xray-protocol.md §5): `POST /GetSamplingRules` and
 * `POST /SamplingTargets` on the TCP port, in the exact X-Ray REST-JSON shapes (§5.2). Reservoir
 * quotas are computed as X-Ray does: each rule's `ReservoirSize` per second is shared between the
 * clients (by `ClientID`) that reported statistics for that rule recently.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject } from '@xray-otel/core';

/** The X-Ray `SamplingRule` (API shape). */
export interface SamplingRule {
  RuleName: string;
  RuleARN: string;
  ResourceARN: string;
  Priority: number;
  FixedRate: number;
  ReservoirSize: number;
  ServiceName: string;
  ServiceType: string;
  Host: string;
  HTTPMethod: string;
  URLPath: string;
  Version: number;
  Attributes: Record<string, string>;
}

/** Thrown for a rules file that is not a list of valid X-Ray sampling rules. */
export class SamplingRulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamplingRulesError';
  }
}

/** Rule records per `GetSamplingRules` page. */
export const RULES_PAGE_SIZE = 100;
/** Request bodies above this are answered 413. */
export const MAX_SAMPLING_BODY_BYTES = 1024 * 1024;
/** Seconds a granted quota is valid (`ReservoirQuotaTTL` = now + this). */
export const QUOTA_TTL_SECONDS = 10;
/** Seconds between two statistics reports the SDKs are told to keep (`Interval`). */
export const TARGET_INTERVAL_SECONDS = 10;

const ARN_PREFIX = 'arn:aws:xray:us-east-1:000000000000:sampling-rule/';

/** X-Ray's catch-all rule, served when no rules file is given. */
export function defaultSamplingRule(): SamplingRule {
  return {
    RuleName: 'Default',
    RuleARN: ARN_PREFIX + 'Default',
    ResourceARN: '*',
    Priority: 10000,
    FixedRate: 0.05,
    ReservoirSize: 1,
    ServiceName: '*',
    ServiceType: '*',
    Host: '*',
    HTTPMethod: '*',
    URLPath: '*',
    Version: 1,
    Attributes: {},
  };
}

type Json = Record<string, unknown>;

function patternField(rule: Json, field: string, max: number, where: string): string {
  const value = rule[field];
  if (value === undefined) return '*';
  if (typeof value !== 'string' || value.length > max) {
    throw new SamplingRulesError(`${where}: ${field} must be a string of at most ${max} characters`);
  }
  return value;
}

/** Check one rule (X-Ray `SamplingRule` constraints, §5.2) and fill the optional fields with `*`. */
export function parseSamplingRule(input: unknown, where: string): SamplingRule {
  const rule = isObject(input) && isObject(input.SamplingRule) ? input.SamplingRule : input;
  if (!isObject(rule)) throw new SamplingRulesError(`${where}: a rule must be an object`);
  const name = rule.RuleName;
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
    throw new SamplingRulesError(`${where}: RuleName must be a string of 1-32 characters`);
  }
  where = `${where} (${name})`;
  const priority = rule.Priority;
  const maxPriority = name === 'Default' ? 10000 : 9999;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > maxPriority) {
    throw new SamplingRulesError(`${where}: Priority must be an integer from 1 to ${maxPriority}`);
  }
  const rate = rule.FixedRate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new SamplingRulesError(`${where}: FixedRate must be a number from 0 to 1`);
  }
  const reservoir = rule.ReservoirSize;
  if (typeof reservoir !== 'number' || !Number.isInteger(reservoir) || reservoir < 0) {
    throw new SamplingRulesError(`${where}: ReservoirSize must be an integer >= 0`);
  }
  const version = rule.Version ?? 1;
  if (version !== 1) throw new SamplingRulesError(`${where}: Version must be 1`);
  const attributes = rule.Attributes ?? {};
  if (
    !isObject(attributes) ||
    Object.keys(attributes).length > 5 ||
    Object.values(attributes).some((v) => typeof v !== 'string')
  ) {
    throw new SamplingRulesError(`${where}: Attributes must be an object of at most 5 string values`);
  }
  const arn = rule.RuleARN ?? ARN_PREFIX + name;
  if (typeof arn !== 'string') throw new SamplingRulesError(`${where}: RuleARN must be a string`);
  return {
    RuleName: name,
    RuleARN: arn,
    ResourceARN: patternField(rule, 'ResourceARN', 500, where),
    Priority: priority,
    FixedRate: rate,
    ReservoirSize: reservoir,
    ServiceName: patternField(rule, 'ServiceName', 64, where),
    ServiceType: patternField(rule, 'ServiceType', 64, where),
    Host: patternField(rule, 'Host', 64, where),
    HTTPMethod: patternField(rule, 'HTTPMethod', 10, where),
    URLPath: patternField(rule, 'URLPath', 128, where),
    Version: 1,
    Attributes: attributes as Record<string, string>,
  };
}

/**
 * Rules from parsed JSON: a list of rules, `{SamplingRules: [...]}` or `{SamplingRuleRecords: [...]}`
 * (a `GetSamplingRules` answer). The `Default` rule is added when the list has none.
 */
export function parseSamplingRules(input: unknown): SamplingRule[] {
  let list: unknown = input;
  if (isObject(input)) list = input.SamplingRules ?? input.SamplingRuleRecords;
  if (!Array.isArray(list)) {
    throw new SamplingRulesError(
      'sampling rules must be a list of rules, {"SamplingRules": [...]} or {"SamplingRuleRecords": [...]}',
    );
  }
  const rules = list.map((rule, i) => parseSamplingRule(rule, `rule ${i + 1}`));
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.RuleName))
      throw new SamplingRulesError(`rule ${JSON.stringify(rule.RuleName)} is defined twice`);
    names.add(rule.RuleName);
  }
  if (!names.has('Default')) rules.push(defaultSamplingRule());
  return rules;
}

/** Read and check a rules file; errors name the file. */
export function loadSamplingRules(path: string): SamplingRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SamplingRulesError(`cannot read sampling rules file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SamplingRulesError(`sampling rules file ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseSamplingRules(json);
  } catch (error) {
    throw new SamplingRulesError(`sampling rules file ${path}: ${(error as Error).message}`);
  }
}

/** An answer: HTTP status and JSON body. */
export interface SamplingAnswer {
  status: number;
  body: Json;
}

export interface SamplingServiceOptions {
  rules?: SamplingRule[];
  /** Clock, epoch ms; default `Date.now`. */
  now?: () => number;
  /** A client counts for a rule's quota this long after its last report; default 15 s (1.5 intervals). */
  activeClientMs?: number;
}

function apiError(status: number, type: string, message: string): SamplingAnswer {
  return { status, body: { __type: type, message } };
}

export class SamplingService {
  readonly rules: SamplingRule[];
  private readonly now: () => number;
  private readonly activeClientMs: number;
  private readonly createdAt: number;
  /** rule name -> client id -> epoch ms of its last report. */
  private readonly clients = new Map<string, Map<string, number>>();

  constructor(options: SamplingServiceOptions = {}) {
    this.rules = [...(options.rules ?? [defaultSamplingRule()])].sort(
      (a, b) => a.Priority - b.Priority || (a.RuleName < b.RuleName ? -1 : a.RuleName > b.RuleName ? 1 : 0),
    );
    this.now = options.now ?? Date.now;
    this.activeClientMs = options.activeClientMs ?? 15000;
    this.createdAt = Math.floor(this.now() / 1000);
  }

  /** `POST /GetSamplingRules`: `{NextToken?}` -> `{SamplingRuleRecords, NextToken?}`. */
  getSamplingRules(request: unknown): SamplingAnswer {
    const token = isObject(request) ? request.NextToken : undefined;
    let start = 0;
    if (token !== undefined && token !== null) {
      start = typeof token === 'string' && /^\d+$/.test(token) ? Number(token) : -1;
      if (start < 0 || start > this.rules.length)
        return apiError(400, 'InvalidRequestException', 'NextToken is not valid');
    }
    const page = this.rules.slice(start, start + RULES_PAGE_SIZE);
    const body: Json = {
      SamplingRuleRecords: page.map((rule) => ({
        SamplingRule: { ...rule },
        CreatedAt: this.createdAt,
        ModifiedAt: this.createdAt,
      })),
    };
    if (start + RULES_PAGE_SIZE < this.rules.length) body.NextToken = String(start + RULES_PAGE_SIZE);
    return { status: 200, body };
  }

  /** `POST /SamplingTargets`: statistics in, one target per reported rule out. */
  samplingTargets(request: unknown): SamplingAnswer {
    const documents = isObject(request) ? request.SamplingStatisticsDocuments : undefined;
    if (!Array.isArray(documents)) {
      return apiError(400, 'InvalidRequestException', 'SamplingStatisticsDocuments must be a list');
    }
    if (documents.length > 25) {
      return apiError(400, 'InvalidRequestException', 'at most 25 SamplingStatisticsDocuments per call');
    }
    const nowMs = this.now();
    const reported: SamplingRule[] = [];
    const unprocessed: Json[] = [];
    for (const statistics of documents) {
      const name = isObject(statistics) ? statistics.RuleName : undefined;
      const client = isObject(statistics) ? statistics.ClientID : undefined;
      const counts = isObject(statistics)
        ? [statistics.RequestCount, statistics.SampledCount, statistics.BorrowCount ?? 0]
        : [];
      if (
        typeof name !== 'string' ||
        typeof client !== 'string' ||
        client.length !== 24 ||
        counts.some((c) => typeof c !== 'number' || c < 0)
      ) {
        unprocessed.push({
          RuleName: typeof name === 'string' ? name : '',
          ErrorCode: '400',
          Message: 'invalid statistics document',
        });
        continue;
      }
      const rule = this.rules.find((r) => r.RuleName === name);
      if (!rule) {
        unprocessed.push({ RuleName: name, ErrorCode: '400', Message: `rule ${name} does not exist` });
        continue;
      }
      let clients = this.clients.get(name);
      if (!clients) this.clients.set(name, (clients = new Map<string, number>()));
      clients.set(client, nowMs);
      if (!reported.includes(rule)) reported.push(rule);
    }
    const nowSeconds = Math.floor(nowMs / 1000);
    // Each client is answered with its own share; a request carries one ClientID (the SDK's).
    const requestClient = documents.find((d) => isObject(d) && typeof d.ClientID === 'string') as
      Json | undefined;
    const targets = reported.map((rule) => ({
      RuleName: rule.RuleName,
      FixedRate: rule.FixedRate,
      ReservoirQuota: this.quota(rule, String(requestClient?.ClientID), nowMs),
      ReservoirQuotaTTL: nowSeconds + QUOTA_TTL_SECONDS,
      Interval: TARGET_INTERVAL_SECONDS,
    }));
    return {
      status: 200,
      body: {
        SamplingTargetDocuments: targets,
        LastRuleModification: this.createdAt,
        UnprocessedStatistics: unprocessed,
      },
    };
  }

  /**
   * This client's share of the rule's reservoir: `ReservoirSize` split between the clients that
   * reported for the rule recently; the remainder goes to the first clients by `ClientID`, so the
   * shares add up to exactly `ReservoirSize` per second.
   */
  quota(rule: SamplingRule, clientId: string, nowMs: number = this.now()): number {
    const clients = this.clients.get(rule.RuleName);
    const active: string[] = [];
    if (clients) {
      for (const [id, lastSeen] of clients) {
        if (nowMs - lastSeen <= this.activeClientMs) active.push(id);
        else clients.delete(id);
      }
    }
    if (!active.includes(clientId)) active.push(clientId);
    active.sort();
    const base = Math.floor(rule.ReservoirSize / active.length);
    const remainder = rule.ReservoirSize % active.length;
    return base + (active.indexOf(clientId) < remainder ? 1 : 0);
  }

  /** Answer one parsed request for `path`; 404 for other paths. */
  answer(method: string, path: string, body: unknown): SamplingAnswer {
    if (path !== '/GetSamplingRules' && path !== '/SamplingTargets') {
      return apiError(
        404,
        'NotFoundException',
        `xray-local answers POST /GetSamplingRules and POST /SamplingTargets, not ${path}`,
      );
    }
    if (method !== 'POST')
      return apiError(405, 'MethodNotAllowedException', `${path} takes POST, not ${method}`);
    return path === '/GetSamplingRules' ? this.getSamplingRules(body) : this.samplingTargets(body);
  }

  /** A `node:http` request listener for the TCP port. */
  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    const send = (answer: SamplingAnswer): void => {
      if (response.headersSent) return;
      const text = JSON.stringify(answer.body);
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      };
      if (answer.status >= 400) headers['x-amzn-errortype'] = String(answer.body.__type);
      response.writeHead(answer.status, headers);
      response.end(text);
    };
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    const early = this.answer(method, path, {});
    if (early.status === 404 || early.status === 405) {
      request.resume();
      send(early);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_SAMPLING_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        send(apiError(413, 'PayloadTooLargeException', `request body over ${MAX_SAMPLING_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (tooLarge) return;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = {};
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          send(apiError(400, 'InvalidRequestException', 'request body is not JSON'));
          return;
        }
      }
      send(this.answer(method, path, body));
    });
  };
}
