import * as assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SamplingDecision, SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import FakeTimers from '@sinonjs/fake-timers';
import { AWSXRayRemoteSampler, parseSamplerArgument, SAMPLING_RULE_ATTRIBUTE } from '../src';
import type { AWSXRayRemoteSamplerOptions } from '../src';
import { captureDiag, fakeClock, rule, seededRandom, startServer } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'wire', 'node');
const T0 = 1_795_345_000_000;

function decide(sampler: AWSXRayRemoteSampler, attributes: Attributes = {}) {
  return sampler.shouldSample(
    context.active(),
    '0af7651916cd43dd8448eb211c80319c',
    'op',
    SpanKind.SERVER,
    attributes,
    [],
  );
}

const warnings: string[] = [];

/** A sampler against a server answering `rules` and `targets`; rules loaded before returning. */
async function withRules(
  rules: unknown[],
  options: Partial<AWSXRayRemoteSamplerOptions> = {},
  targets: (json: unknown) => unknown = () => ({ SamplingTargetDocuments: [], UnprocessedStatistics: [] }),
) {
  const server = await startServer((path, json) =>
    path === '/GetSamplingRules' ? { body: { SamplingRuleRecords: rules } } : { body: targets(json) },
  );
  const sampler = new AWSXRayRemoteSampler({ endpoint: server.url, ...options });
  assert.equal(await sampler.refreshRules(), true);
  return { server, sampler };
}

describe('AWSXRayRemoteSampler', () => {
  captureDiag(warnings);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function setup(...args: Parameters<typeof withRules>) {
    const s = await withRules(...args);
    cleanups.push(
      () => s.sampler.shutdown(),
      () => s.server.close(),
    );
    return s;
  }

  it('fetches rules at construction with the classic request, pages through NextToken', async () => {
    const pages: Record<string, unknown> = {
      '': { SamplingRuleRecords: [rule('b', { Priority: 5 })], NextToken: 'p2' },
      p2: {
        SamplingRuleRecords: [rule('a', { Priority: 5 }), rule('Default', { Priority: 10000 })],
        NextToken: 'p3',
      },
      p3: { SamplingRuleRecords: [rule('first', { Priority: 1 })] },
    };
    const server = await startServer((_path, json) => ({
      body: pages[((json as { NextToken?: string }).NextToken ?? '') as string],
    }));
    const sampler = new AWSXRayRemoteSampler({ endpoint: server.url + '/', clientId: 'not-hex' });
    try {
      for (let i = 0; i < 100 && sampler.ruleNames().length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(sampler.ruleNames(), ['first', 'a', 'b', 'Default']);
      assert.equal(server.requests.length, 3);
      const first = server.requests[0];
      assert.equal(first.path, '/GetSamplingRules');
      assert.equal(first.body, '{}');
      assert.equal(first.headers['content-type'], 'application/json');
      assert.equal(first.headers['content-length'], '2');
      assert.equal(server.requests[1].body, '{"NextToken":"p2"}');
      assert.match(sampler.clientId, /^[0-9a-f]{24}$/);
      assert.match(
        sampler.toString(),
        /AWSXRayRemoteSampler\{endpoint=http:\/\/127\.0\.0\.1:\d+, pollingInterval=300s/,
      );
    } finally {
      await sampler.shutdown();
      await server.close();
    }
  });

  it('skips Version 2 and malformed rules with a reason, once', async () => {
    warnings.length = 0;
    const { sampler } = await setup([
      rule('v2', { Version: 2, Priority: 1 }),
      rule('badrate', { FixedRate: 'x' }),
      { SamplingRule: { RuleName: '' } },
      null,
      rule('Default', { Priority: 10000 }),
    ]);
    await sampler.refreshRules();
    assert.deepEqual(sampler.ruleNames(), ['Default']);
    assert.equal(warnings.filter((w) => w.includes('"v2"') && w.includes('Version')).length, 1);
    assert.equal(warnings.filter((w) => w.includes('"badrate"')).length, 1);
  });

  describe('matching', () => {
    const resource = {
      'service.name': 'Checkout',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_ecs',
      'aws.ecs.task.arn': 'arn:aws:ecs:us-east-1:123456789012:task/cluster/abc',
    };
    const table: [string, Record<string, unknown>, Attributes, boolean, Record<string, unknown>?][] = [
      ['ServiceName exact, case-insensitive', { ServiceName: 'checkout' }, {}, true],
      ['ServiceName mismatch', { ServiceName: 'billing' }, {}, false],
      ['ServiceName ?', { ServiceName: 'Check?ut' }, {}, true],
      ['ServiceType ECS', { ServiceType: 'AWS::ECS::Container' }, {}, true],
      ['ServiceType EC2 mismatch', { ServiceType: 'AWS::EC2::Instance' }, {}, false],
      ['ServiceType EC2', { ServiceType: 'AWS::EC2::*' }, {}, true, { 'cloud.platform': 'aws_ec2' }],
      ['ServiceType EKS', { ServiceType: 'AWS::EKS::Container' }, {}, true, { 'cloud.platform': 'aws_eks' }],
      [
        'ServiceType Beanstalk',
        { ServiceType: 'AWS::ElasticBeanstalk::Environment' },
        {},
        true,
        { 'cloud.platform': 'aws_elastic_beanstalk' },
      ],
      [
        'ServiceType Lambda',
        { ServiceType: 'AWS::Lambda::Function' },
        {},
        true,
        { 'cloud.platform': 'aws_lambda' },
      ],
      [
        'ServiceType App Runner',
        { ServiceType: 'AWS::AppRunner::Service' },
        {},
        true,
        { 'cloud.platform': 'aws_app_runner' },
      ],
      ['ServiceType non-AWS provider', { ServiceType: 'AWS::*' }, {}, false, { 'cloud.provider': 'gcp' }],
      ['ServiceType unknown platform', { ServiceType: 'AWS::*' }, {}, false, { 'cloud.platform': 'x' }],
      ['HTTPMethod old', { HTTPMethod: 'GET' }, { 'http.method': 'get' }, true],
      ['HTTPMethod stable', { HTTPMethod: 'POST' }, { 'http.request.method': 'POST' }, true],
      ['HTTPMethod missing', { HTTPMethod: 'GET' }, {}, false],
      ['URLPath http.target strips query', { URLPath: '/api/*' }, { 'http.target': '/api/x?y=1' }, true],
      ['URLPath url.path', { URLPath: '/api/*' }, { 'url.path': '/api/x' }, true],
      ['URLPath url.full', { URLPath: '/api/?' }, { 'url.full': 'https://h/api/x' }, true],
      ['URLPath http.url', { URLPath: '/api' }, { 'http.url': 'http://h/api' }, true],
      ['URLPath bad url', { URLPath: '/api' }, { 'http.url': 'not a url' }, false],
      ['URLPath mismatch', { URLPath: '/api/*' }, { 'url.path': '/web' }, false],
      ['Host old', { Host: '*.example.com' }, { 'http.host': 'www.example.com' }, true],
      ['Host stable', { Host: 'api.example.com' }, { 'server.address': 'API.example.com' }, true],
      ['Host from url.full', { Host: 'h:8080' }, { 'url.full': 'http://h:8080/x' }, true],
      ['Host mismatch', { Host: 'a' }, { 'server.address': 'b' }, false],
      ['ResourceARN ECS task', { ResourceARN: 'arn:aws:ecs:*:task/cluster/*' }, {}, true],
      ['ResourceARN mismatch', { ResourceARN: 'arn:aws:lambda:*' }, {}, false],
      [
        'ResourceARN Lambda faas.id',
        { ResourceARN: 'arn:aws:lambda:*:function:f' },
        {},
        true,
        {
          'aws.ecs.task.arn': undefined,
          'cloud.platform': 'aws_lambda',
          'faas.id': 'arn:aws:lambda:us-east-1:1:function:f',
        },
      ],
      [
        'ResourceARN EC2 derived',
        { ResourceARN: 'arn:aws:ec2:us-east-1:123:instance/i-1' },
        {},
        true,
        {
          'aws.ecs.task.arn': undefined,
          'cloud.platform': 'aws_ec2',
          'cloud.region': 'us-east-1',
          'cloud.account.id': '123',
          'host.id': 'i-1',
        },
      ],
      ['ResourceARN * matches no ARN', { ResourceARN: '*' }, {}, true, { 'aws.ecs.task.arn': undefined }],
      [
        'Attributes all match',
        { Attributes: { team: 'x*', tier: 'gold' } },
        { team: 'xray', tier: 'GOLD' },
        true,
      ],
      ['Attributes one missing', { Attributes: { team: 'x*', tier: 'gold' } }, { team: 'xray' }, false],
      ['Attributes value mismatch', { Attributes: { team: 'x' } }, { team: 'y' }, false],
      [
        'Attributes number and array values',
        { Attributes: { n: '4?', a: 'a,b' } },
        { n: 42, a: ['a', 'b'] },
        true,
      ],
    ];
    for (const [name, fields, attributes, expected, resourceOverride] of table) {
      it(name, async () => {
        const { sampler } = await setup(
          [
            rule('target', { ...fields, Priority: 1, FixedRate: 1 }),
            rule('Default', { Priority: 10000, FixedRate: 1 }),
          ],
          {
            resource: { attributes: { ...resource, ...resourceOverride } },
          },
        );
        const result = decide(sampler, attributes);
        assert.equal(result.decision, SamplingDecision.RECORD_AND_SAMPLED);
        assert.equal(result.attributes?.[SAMPLING_RULE_ATTRIBUTE], expected ? 'target' : 'Default');
      });
    }

    it('priority then name; no match and no Default -> local fallback', async () => {
      const { sampler } = await setup([
        rule('zeta', { Priority: 1, FixedRate: 1 }),
        rule('alpha', { Priority: 1, FixedRate: 1, URLPath: '/only' }),
      ]);
      assert.equal(decide(sampler, { 'url.path': '/only' }).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'alpha');
      assert.equal(decide(sampler, { 'url.path': '/x' }).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'zeta');
    });
  });

  it('reservoir 5/s + rate 0.1 at 100 req/s over 10 s: within 10 % of 5*10 + 0.1*950', async () => {
    const clock = fakeClock(T0);
    const { sampler } = await setup(
      [rule('r', { FixedRate: 0.1, ReservoirSize: 5 })],
      { clock: clock.now, random: seededRandom(7) },
      () => ({
        SamplingTargetDocuments: [
          {
            RuleName: 'r',
            FixedRate: 0.1,
            ReservoirQuota: 5,
            ReservoirQuotaTTL: T0 / 1000 + 60,
            Interval: 10,
          },
        ],
      }),
    );
    decide(sampler); // one request so there is something to report
    assert.equal(await sampler.reportStatistics(), true);
    let sampled = 0;
    for (let i = 0; i < 1000; i++) {
      clock.advance(10);
      if (decide(sampler).decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
    }
    const expected = 5 * 10 + 0.1 * (1000 - 50);
    assert.ok(Math.abs(sampled - expected) <= expected * 0.1, `sampled ${sampled}, expected ~${expected}`);
  });

  it('borrows 1/s before the first target; uses the quota until its TTL (epoch s), then fixed rate only', async () => {
    const clock = fakeClock(T0);
    const ttl = T0 / 1000 + 3;
    const { sampler } = await setup(
      [rule('r', { FixedRate: 0, ReservoirSize: 10 })],
      { clock: clock.now, random: () => 0.5 },
      () => ({
        SamplingTargetDocuments: [
          { RuleName: 'r', FixedRate: 0, ReservoirQuota: 3, ReservoirQuotaTTL: ttl, Interval: 20 },
          { RuleName: 'gone' },
          null,
        ],
        LastRuleModification: 1700000000,
      }),
    );
    const perSecond = () => {
      let n = 0;
      for (let i = 0; i < 10; i++) if (decide(sampler).decision === SamplingDecision.RECORD_AND_SAMPLED) n++;
      clock.advance(1000);
      return n;
    };
    assert.equal(perSecond(), 1); // borrow
    const stats = sampler.takeStatistics();
    assert.deepEqual(
      stats.map(({ RequestCount, BorrowCount, SampledCount }) => [RequestCount, BorrowCount, SampledCount]),
      [[10, 1, 1]],
    );
    decide(sampler);
    await sampler.reportStatistics();
    clock.advance(1000);
    assert.equal(perSecond(), 3); // quota
    assert.equal(perSecond(), 3);
    assert.equal(perSecond(), 0); // TTL passed: fixed rate 0, no borrowing
    assert.equal(perSecond(), 0);
  });

  it('statistics documents have exactly the captured shape (node-07 tcp-02/03)', async () => {
    const captured = JSON.parse(
      readFileSync(join(FIXTURES, 'node-07-centralized-sampling-tcp-02.json'), 'utf8'),
    );
    const sink = JSON.parse(
      readFileSync(join(FIXTURES, 'node-07-centralized-sampling-tcp-01.json'), 'utf8'),
    ).sink_response;
    const clock = fakeClock(T0);
    const { sampler, server } = await setup(
      sink.SamplingRuleRecords,
      { clock: clock.now, random: () => 0.99, clientId: '80d26c9da86a4f8362620211' },
      () => captured.sink_response,
    );
    for (let i = 0; i < 4; i++) decide(sampler, { 'url.path': '/sampled' });
    for (let i = 0; i < 4; i++) decide(sampler, { 'url.path': '/other' });
    assert.equal(await sampler.reportStatistics(), true);
    const request = server.requests.find((r) => r.path === '/SamplingTargets');
    assert.ok(request);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(Number(request.headers['content-length']), Buffer.byteLength(request.body));
    const docs = (request.json as { SamplingStatisticsDocuments: Record<string, unknown>[] })
      .SamplingStatisticsDocuments;
    const want = captured.body_json.SamplingStatisticsDocuments as Record<string, unknown>[];
    assert.deepEqual(Object.keys(request.json as object), Object.keys(captured.body_json));
    assert.equal(docs.length, want.length);
    for (let i = 0; i < docs.length; i++) {
      assert.deepEqual(Object.keys(docs[i]), Object.keys(want[i]));
      for (const key of Object.keys(want[i])) assert.equal(typeof docs[i][key], typeof want[i][key], key);
      assert.ok(Number.isInteger(docs[i].Timestamp));
    }
    assert.deepEqual(
      docs.map((d) => d.RuleName),
      ['capture-rule', 'Default'],
    );
    assert.equal(docs[0].Timestamp, T0 / 1000);
    assert.equal(docs[0].ClientID, '80d26c9da86a4f8362620211');
    assert.deepEqual([docs[0].RequestCount, docs[0].BorrowCount, docs[0].SampledCount], [4, 1, 1]);
    // the `with-attributes` rule (priority 1) needs span attribute team=x; these spans lack it
    // the quota (2/s, TTL in epoch seconds) is honoured, unlike the Node classic SDK
    clock.advance(1000);
    let sampled = 0;
    for (let i = 0; i < 4; i++)
      if (decide(sampler, { 'url.path': '/sampled' }).decision === SamplingDecision.RECORD_AND_SAMPLED)
        sampled++;
    assert.equal(sampled, 2);
    // nothing to report -> no request
    const before = server.requests.length;
    sampler.takeStatistics();
    assert.equal(await sampler.reportStatistics(), true);
    assert.equal(server.requests.length, before);
  });

  it('splits more than 25 statistics documents over several calls', async () => {
    const rules = Array.from({ length: 30 }, (_, i) => rule(`r${i}`, { Priority: i + 1, URLPath: `/p${i}` }));
    const { sampler, server } = await setup(rules);
    for (let i = 0; i < 30; i++) decide(sampler, { 'url.path': `/p${i}` });
    await sampler.reportStatistics();
    const calls = server.requests.filter((r) => r.path === '/SamplingTargets');
    assert.deepEqual(
      calls.map(
        (c) => (c.json as { SamplingStatisticsDocuments: unknown[] }).SamplingStatisticsDocuments.length,
      ),
      [25, 5],
    );
  });

  it('proxy down, HTTP errors, bad JSON: local fallback, no throw, rate-limited diag', async () => {
    warnings.length = 0;
    const sampler = new AWSXRayRemoteSampler({
      endpoint: 'http://127.0.0.1:1',
      clock: () => T0,
      random: () => 0.99,
    });
    cleanups.push(() => sampler.shutdown());
    assert.equal(await sampler.refreshRules(), false);
    assert.equal(await sampler.refreshRules(), false);
    assert.equal(decide(sampler).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'Default');
    assert.equal(decide(sampler).decision, SamplingDecision.NOT_RECORD);
    assert.equal(warnings.filter((w) => w.includes('cannot get sampling rules')).length, 1);

    const answers: ({ status?: number; body: unknown } | 'hang')[] = [
      { status: 500, body: 'boom' },
      { body: 'not json' },
      { body: { nothing: true } },
      { body: 'x'.repeat(5 * 1024 * 1024) },
    ];
    for (const answer of answers) {
      const server = await startServer(() => answer);
      const s = new AWSXRayRemoteSampler({ endpoint: server.url });
      assert.equal(await s.refreshRules(), false);
      await s.shutdown();
      await server.close();
    }
    const bad = new AWSXRayRemoteSampler({ endpoint: 'not a url' });
    assert.equal(await bad.refreshRules(), false);
    await bad.shutdown();
  });

  it('statistics: failed report returns false without throwing', async () => {
    const { sampler } = await setup([rule('Default', { Priority: 10000 })], {}, () => 'ignored');
    decide(sampler);
    const server = await startServer(() => ({ status: 400, body: { message: 'bad' } }));
    cleanups.push(() => server.close());
    (sampler as unknown as { endpoint: string }).endpoint = server.url;
    assert.equal(await sampler.reportStatistics(), false);
  });

  it('rule cache older than an hour -> local fallback; LastRuleModification triggers a refresh', async () => {
    const clock = fakeClock(T0);
    const { sampler, server } = await setup(
      [rule('Default', { Priority: 10000, FixedRate: 1 })],
      { clock: clock.now, random: () => 0.99 },
      () => ({
        SamplingTargetDocuments: [],
        LastRuleModification: T0 / 1000 + 10,
      }),
    );
    assert.equal(decide(sampler).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'Default');
    assert.equal(decide(sampler).decision, SamplingDecision.RECORD_AND_SAMPLED); // FixedRate 1
    clock.advance(3600 * 1000 + 1);
    decide(sampler); // fallback borrows its 1/s
    assert.equal(decide(sampler).decision, SamplingDecision.NOT_RECORD); // local 5 %, random 0.99
    clock.set(T0);
    decide(sampler);
    const rulesCalls = () => server.requests.filter((r) => r.path === '/GetSamplingRules').length;
    const n = rulesCalls();
    await sampler.reportStatistics();
    for (let i = 0; i < 100 && rulesCalls() === n; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(rulesCalls() > n);
  });

  it('local rules file is the fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sampler-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ version: 2, default: { fixed_target: 0, rate: 0 }, rules: [] }));
    const sampler = new AWSXRayRemoteSampler({ endpoint: 'http://127.0.0.1:1', rulesFile: file });
    cleanups.push(() => sampler.shutdown());
    assert.equal(decide(sampler).decision, SamplingDecision.NOT_RECORD);
  });

  it('10,000 decisions from concurrent async contexts: counts consistent', async () => {
    const { sampler } = await setup([
      rule('a', { Priority: 1, URLPath: '/a*', FixedRate: 0.3 }),
      rule('Default', { Priority: 10000, FixedRate: 0.1 }),
    ]);
    let sampledN = 0;
    let notN = 0;
    await Promise.all(
      Array.from({ length: 100 }, async (_, w) => {
        for (let i = 0; i < 100; i++) {
          await new Promise((r) => (i % 3 === 0 ? setImmediate(r) : r(undefined)));
          const result = decide(sampler, { 'url.path': (w + i) % 2 ? '/a/x' : '/b' });
          if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) sampledN++;
          else notN++;
        }
      }),
    );
    assert.equal(sampledN + notN, 10_000);
    const stats = sampler.takeStatistics();
    assert.equal(
      stats.reduce((s, d) => s + d.RequestCount, 0),
      10_000,
    );
    assert.equal(
      stats.reduce((s, d) => s + d.SampledCount, 0),
      sampledN,
    );
    assert.ok(stats.every((d) => d.BorrowCount <= d.SampledCount));
  });

  it("polls rules every pollingInterval (+ up to 5 s jitter) and targets every 10 s (+ up to 100 ms); timers unref'd, stopped by shutdown", async () => {
    const server = await startServer((path) =>
      path === '/GetSamplingRules'
        ? { body: { SamplingRuleRecords: [rule('Default', { Priority: 10000 })] } }
        : { body: { SamplingTargetDocuments: [], UnprocessedStatistics: [] } },
    );
    cleanups.push(() => server.close());
    // Fake timers, real loopback HTTP: fire the pollers' timers one at a time, and after each wait (in
    // real time) until the poll that fired has finished its request and scheduled itself again.
    const realSetTimeout = globalThis.setTimeout;
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    const timers: { hasRef(): boolean }[] = [];
    const fakeSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      const timer = fakeSetTimeout(...args);
      timers.push(timer as unknown as { hasRef(): boolean });
      return timer;
    }) as typeof setTimeout;
    const sent: { path: string; at: number }[] = [];
    const sampler = new AWSXRayRemoteSampler({ endpoint: server.url, pollingInterval: 60 });
    try {
      const pollersIdle = async () => {
        for (let i = 0; i < 2500 && clock.countTimers() < 2; i++)
          await new Promise((resolve) => realSetTimeout(resolve, 2));
        assert.equal(clock.countTimers(), 2, 'both pollers scheduled again');
        for (const request of server.requests.slice(sent.length))
          sent.push({ path: request.path, at: clock.now });
      };
      while (clock.now < 130_000) {
        await clock.nextAsync();
        await pollersIdle();
        decide(sampler); // a statistic, so that the next targets poll has something to send
      }
      const at = (path: string) => sent.filter((r) => r.path === path).map((r) => r.at);
      const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
      const rules = at('/GetSamplingRules');
      assert.equal(rules[0], 0, 'rules fetched at construction');
      assert.equal(rules.length, 3, `rules fetched at ${rules}`);
      for (const gap of gaps(rules))
        assert.ok(gap >= 60_000 && gap <= 65_000, `rules every ${gaps(rules)} ms`);
      const targets = at('/SamplingTargets');
      assert.ok(targets.length >= 12, `targets at ${targets}`);
      assert.ok(targets[0] >= 10_000 && targets[0] <= 10_100, `first targets poll at ${targets[0]} ms`);
      for (const gap of gaps(targets))
        assert.ok(gap >= 10_000 && gap <= 10_100, `targets every ${gaps(targets)} ms`);
      assert.ok(
        timers.length > 0 && timers.every((timer) => !timer.hasRef()),
        "every poller timer is unref'd",
      );

      await sampler.shutdown();
      assert.equal(clock.countTimers(), 0, 'shutdown cleared both timers');
      const before = server.requests.length;
      await clock.tickAsync(3_600_000);
      await new Promise((resolve) => realSetTimeout(resolve, 20));
      assert.equal(server.requests.length, before, 'no poll after shutdown');
    } finally {
      await sampler.shutdown();
      globalThis.setTimeout = fakeSetTimeout;
      clock.uninstall();
    }
  });

  it('default endpoint comes from AWS_XRAY_DAEMON_ADDRESS (tcp part)', async () => {
    const saved = process.env.AWS_XRAY_DAEMON_ADDRESS;
    try {
      process.env.AWS_XRAY_DAEMON_ADDRESS = 'tcp:10.0.0.1:2100 udp:10.0.0.2:2000';
      const a = new AWSXRayRemoteSampler();
      assert.equal(a.endpoint, 'http://10.0.0.1:2100');
      await a.shutdown();
      process.env.AWS_XRAY_DAEMON_ADDRESS = '[::1]:2000';
      const b = new AWSXRayRemoteSampler();
      assert.equal(b.endpoint, 'http://[::1]:2000');
      await b.shutdown();
      process.env.AWS_XRAY_DAEMON_ADDRESS = 'garbage';
      const c = new AWSXRayRemoteSampler();
      assert.equal(c.endpoint, 'http://127.0.0.1:2000');
      await c.shutdown();
      delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      const d = new AWSXRayRemoteSampler({ pollingInterval: -1 });
      assert.equal(d.endpoint, 'http://127.0.0.1:2000');
      assert.match(d.toString(), /pollingInterval=300s/);
      await d.shutdown();
    } finally {
      if (saved === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      else process.env.AWS_XRAY_DAEMON_ADDRESS = saved;
    }
  });
});

describe('parseSamplerArgument', () => {
  captureDiag(warnings);
  it('parses endpoint, polling_interval, rules_file; warns on unknown keys and bad values', () => {
    assert.deepEqual(parseSamplerArgument(undefined), {});
    assert.deepEqual(parseSamplerArgument(' '), {});
    assert.deepEqual(
      parseSamplerArgument('endpoint=http://localhost:2000, polling_interval=60,rules_file=/r.json,'),
      {
        endpoint: 'http://localhost:2000',
        pollingInterval: 60,
        rulesFile: '/r.json',
      },
    );
    warnings.length = 0;
    assert.deepEqual(parseSamplerArgument('polling_interval=abc,foo=1,bare'), {});
    assert.equal(warnings.length, 3);
  });
});
