import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  defaultSamplingRule,
  loadSamplingRules,
  MAX_SAMPLING_BODY_BYTES,
  parseSamplingRules,
  SamplingRulesError,
  SamplingService,
} from '../src/sampling';
import { tcpFixtures } from './helpers';

const CAPTURE_RULES = [
  { RuleName: 'capture-rule', Priority: 100, FixedRate: 0.1, ReservoirSize: 5, URLPath: '/sampled*' },
  { RuleName: 'with-attributes', Priority: 1, FixedRate: 1, ReservoirSize: 100, Attributes: { team: 'x' } },
];

function post(
  port: number,
  target: string,
  body: string | Buffer,
  method = 'POST',
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: target,
        method,
        headers: { 'content-type': 'application/json' },
        timeout: 5000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('sampling', () => {
  it('serves the Default rule by default, in the shape of the recorded answer', () => {
    const service = new SamplingService({ now: () => 1795345127000 });
    const answer = service.getSamplingRules({});
    assert.equal(answer.status, 200);
    const records = answer.body.SamplingRuleRecords as {
      SamplingRule: Record<string, unknown>;
      CreatedAt: number;
      ModifiedAt: number;
    }[];
    assert.equal(records.length, 1);
    const recorded = (
      tcpFixtures().find((f) => f.target === '/GetSamplingRules')!.sink_response.SamplingRuleRecords as {
        SamplingRule: Record<string, unknown>;
      }[]
    )[0];
    assert.deepEqual(Object.keys(records[0].SamplingRule).sort(), Object.keys(recorded.SamplingRule).sort());
    assert.deepEqual({ ...records[0].SamplingRule, RuleARN: '' }, { ...recorded.SamplingRule, RuleARN: '' });
    assert.deepEqual(Object.keys(records[0]).sort(), ['CreatedAt', 'ModifiedAt', 'SamplingRule']);
    assert.equal(records[0].CreatedAt, 1795345127);
    assert.equal(answer.body.NextToken, undefined);
  });

  it('answers every recorded SDK request (node-07, py-05) with a well-formed answer', () => {
    const service = new SamplingService({
      rules: parseSamplingRules(CAPTURE_RULES),
      now: () => 1795345127000,
    });
    const fixtures = tcpFixtures();
    assert.equal(fixtures.length, 6);
    for (const fixture of fixtures) {
      const answer = service.answer('POST', fixture.target, JSON.parse(fixture.body_text));
      assert.equal(answer.status, 200, fixture.name);
      assert.deepEqual(
        Object.keys(answer.body).sort(),
        Object.keys(fixture.sink_response).sort(),
        fixture.name,
      );
      if (fixture.target === '/SamplingTargets') {
        const targets = answer.body.SamplingTargetDocuments as Record<string, unknown>[];
        const recorded = fixture.sink_response.SamplingTargetDocuments as Record<string, unknown>[];
        assert.deepEqual(
          targets.map((t) => t.RuleName),
          recorded.map((t) => t.RuleName),
        );
        for (const target of targets) {
          assert.deepEqual(Object.keys(target).sort(), [
            'FixedRate',
            'Interval',
            'ReservoirQuota',
            'ReservoirQuotaTTL',
            'RuleName',
          ]);
          assert.equal(target.ReservoirQuotaTTL, 1795345137);
          assert.equal(target.Interval, 10);
        }
        assert.deepEqual(answer.body.UnprocessedStatistics, []);
      } else {
        const names = (answer.body.SamplingRuleRecords as { SamplingRule: { RuleName: string } }[]).map(
          (r) => r.SamplingRule.RuleName,
        );
        assert.deepEqual(names, ['with-attributes', 'capture-rule', 'Default']); // priority order
      }
    }
  });

  it('shares each rule reservoir between the clients that reported recently', () => {
    let now = 1795345127000;
    const service = new SamplingService({ rules: parseSamplingRules(CAPTURE_RULES), now: () => now });
    const report = (client: string) =>
      service.samplingTargets({
        SamplingStatisticsDocuments: [
          {
            RuleName: 'capture-rule',
            ClientID: client,
            RequestCount: 4,
            BorrowCount: 1,
            SampledCount: 0,
            Timestamp: now / 1000,
          },
          {
            RuleName: 'Default',
            ClientID: client,
            RequestCount: 4,
            BorrowCount: 1,
            SampledCount: 1,
            Timestamp: now / 1000,
          },
        ],
      }).body.SamplingTargetDocuments as { RuleName: string; ReservoirQuota: number; FixedRate: number }[];
    const a = 'a'.repeat(24);
    const b = 'b'.repeat(24);
    assert.deepEqual(
      report(a).map((t) => t.ReservoirQuota),
      [5, 1],
    );
    const forB = report(b);
    assert.deepEqual(
      forB.map((t) => t.ReservoirQuota),
      [2, 0],
    );
    assert.deepEqual(
      report(a).map((t) => t.ReservoirQuota),
      [3, 1],
    ); // 3 + 2 = 5, 1 + 0 = 1
    assert.equal(forB[0].FixedRate, 0.1);
    now += 20000; // b stops reporting
    assert.deepEqual(
      report(a).map((t) => t.ReservoirQuota),
      [5, 1],
    );
  });

  it('reports bad statistics and unknown rules as UnprocessedStatistics; bad bodies as 400', () => {
    const service = new SamplingService();
    const answer = service.samplingTargets({
      SamplingStatisticsDocuments: [
        { RuleName: 'nope', ClientID: 'c'.repeat(24), RequestCount: 1, SampledCount: 1 },
        { RuleName: 'Default', ClientID: 'short', RequestCount: 1, SampledCount: 1 },
        { ClientID: 'c'.repeat(24) },
        7,
      ],
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      (answer.body.UnprocessedStatistics as { RuleName: string }[]).map((u) => u.RuleName),
      ['nope', 'Default', '', ''],
    );
    assert.equal(service.samplingTargets({}).status, 400);
    assert.equal(
      service.samplingTargets({ SamplingStatisticsDocuments: new Array(26).fill({}) }).status,
      400,
    );
    assert.equal(service.getSamplingRules({ NextToken: 'x' }).status, 400);
    assert.equal(service.getSamplingRules({ NextToken: null }).status, 200);
  });

  it('pages GetSamplingRules by 100 with NextToken', () => {
    const rules = Array.from({ length: 150 }, (_, i) => ({
      RuleName: `r${String(i).padStart(3, '0')}`,
      Priority: 1 + i,
      FixedRate: 0,
      ReservoirSize: 0,
    }));
    const service = new SamplingService({ rules: parseSamplingRules(rules) });
    const first = service.getSamplingRules({});
    assert.equal((first.body.SamplingRuleRecords as unknown[]).length, 100);
    assert.equal(first.body.NextToken, '100');
    const second = service.getSamplingRules({ NextToken: first.body.NextToken });
    assert.equal((second.body.SamplingRuleRecords as unknown[]).length, 51);
    assert.equal(second.body.NextToken, undefined);
  });

  it('reads rules files in three shapes and explains bad ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-local-rules-'));
    try {
      const write = (name: string, content: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
        return file;
      };
      assert.equal(loadSamplingRules(write('list.json', CAPTURE_RULES)).length, 3);
      assert.equal(loadSamplingRules(write('rules.json', { SamplingRules: CAPTURE_RULES })).length, 3);
      const records = tcpFixtures().find((f) => f.target === '/GetSamplingRules')!.sink_response;
      const loaded = loadSamplingRules(write('records.json', records));
      assert.deepEqual(
        loaded.map((r) => r.RuleName),
        ['Default', 'capture-rule', 'with-attributes'],
      );
      assert.throws(
        () => loadSamplingRules(path.join(dir, 'missing.json')),
        /cannot read sampling rules file/,
      );
      assert.throws(() => loadSamplingRules(write('bad.json', '{')), /is not JSON/);
      assert.throws(() => loadSamplingRules(write('obj.json', { x: 1 })), SamplingRulesError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const base = { RuleName: 'r', Priority: 5, FixedRate: 0.5, ReservoirSize: 1 };
    const bad: [Record<string, unknown> | number, RegExp][] = [
      [1, /rule 1: a rule must be an object/],
      [{ ...base, RuleName: '' }, /RuleName must be a string of 1-32/],
      [{ ...base, RuleName: 'x'.repeat(33) }, /RuleName/],
      [{ ...base, Priority: 10000 }, /rule 1 \(r\): Priority must be an integer from 1 to 9999/],
      [{ ...base, Priority: 1.5 }, /Priority/],
      [{ ...base, FixedRate: 1.5 }, /FixedRate must be a number from 0 to 1/],
      [{ ...base, FixedRate: '0.5' }, /FixedRate/],
      [{ ...base, ReservoirSize: -1 }, /ReservoirSize must be an integer >= 0/],
      [{ ...base, Version: 2 }, /Version must be 1/],
      [{ ...base, Attributes: { a: 1 } }, /Attributes must be an object of at most 5 string values/],
      [{ ...base, Attributes: { a: '1', b: '', c: '', d: '', e: '', f: '' } }, /Attributes/],
      [{ ...base, HTTPMethod: 'VERYLONGMETHOD' }, /HTTPMethod must be a string of at most 10/],
      [{ ...base, ServiceName: 3 }, /ServiceName/],
      [{ ...base, RuleARN: 3 }, /RuleARN must be a string/],
    ];
    for (const [rule, message] of bad) assert.throws(() => parseSamplingRules([rule]), message);
    assert.throws(() => parseSamplingRules([base, base]), /"r" is defined twice/);
    assert.equal(parseSamplingRules([{ ...defaultSamplingRule(), FixedRate: 0.2 }]).length, 1);
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let port: number;
    before(async () => {
      const service = new SamplingService();
      server = http.createServer(service.handle);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('answers the recorded requests byte for byte as sent', async () => {
      for (const fixture of tcpFixtures()) {
        const answer = await post(port, fixture.target, fixture.body_text);
        assert.equal(answer.status, 200, fixture.name);
      }
      const empty = await post(port, '/GetSamplingRules', '');
      assert.equal(empty.status, 200);
    });

    it('answers 404, 405, 400 and 413 with JSON errors', async () => {
      const missing = await post(port, '/GetSamplingStatisticSummaries', '{}');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.__type, 'NotFoundException');
      assert.equal((await post(port, '/GetSamplingRules', '', 'GET')).status, 405);
      assert.equal((await post(port, '/SamplingTargets', '{')).status, 400);
      const big = await post(
        port,
        '/SamplingTargets',
        Buffer.alloc(MAX_SAMPLING_BODY_BYTES + 10, 0x20),
      ).catch(() => ({ status: 413, json: {} }));
      assert.equal(big.status, 413);
    });
  });
});
