import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, diag, DiagLogLevel, SamplingDecision, SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { AWSXRayLocalSampler, SAMPLING_RULE_ATTRIBUTE } from '../src';
import { fakeClock } from './helpers';

function decide(sampler: AWSXRayLocalSampler, attributes: Attributes = {}) {
  return sampler.shouldSample(
    context.active(),
    '0af7651916cd43dd8448eb211c80319c',
    'op',
    SpanKind.SERVER,
    attributes,
    [],
  );
}

describe('AWSXRayLocalSampler', () => {
  let dir: string;
  const errors: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sampler-'));
    diag.setLogger(
      {
        error: (m: string) => errors.push(m),
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
  });
  after(() => diag.disable());

  it('default rule: 1 per second then 5 %', () => {
    const clock = fakeClock();
    let r = 0.5;
    const sampler = new AWSXRayLocalSampler({ clock: clock.now, random: () => r });
    assert.equal(decide(sampler).decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.deepEqual(decide(sampler).attributes, undefined);
    assert.equal(decide(sampler).decision, SamplingDecision.NOT_RECORD);
    r = 0.01;
    const result = decide(sampler);
    assert.equal(result.decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(result.attributes?.[SAMPLING_RULE_ATTRIBUTE], 'Default');
    r = 0.5;
    clock.advance(1000);
    assert.equal(decide(sampler).decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.match(sampler.toString(), /AWSXRayLocalSampler/);
  });

  it('rules file version 2: first match in file order, host/method/path wildcards', () => {
    const file = join(dir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 2,
        default: { fixed_target: 0, rate: 0 },
        rules: [
          {
            description: 'health',
            host: '*',
            http_method: 'GET',
            url_path: '/health',
            fixed_target: 0,
            rate: 0,
          },
          {
            description: 'api',
            host: '*.example.com',
            http_method: '*',
            url_path: '/api/*',
            fixed_target: 2,
            rate: 0,
          },
        ],
      }),
    );
    const sampler = new AWSXRayLocalSampler({ rulesFile: file, clock: () => 5000, random: () => 0.99 });
    assert.equal(
      decide(sampler, { 'http.method': 'GET', 'http.target': '/health' }).decision,
      SamplingDecision.NOT_RECORD,
    );
    const api = { 'http.request.method': 'POST', 'url.full': 'https://www.example.com/api/x?y=1' };
    assert.equal(decide(sampler, api).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'api');
    assert.equal(decide(sampler, api).decision, SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(sampler, api).decision, SamplingDecision.NOT_RECORD);
    assert.equal(decide(sampler, { 'url.path': '/other' }).decision, SamplingDecision.NOT_RECORD);
  });

  it('version 1 files use service_name; rules given directly', () => {
    const sampler = new AWSXRayLocalSampler({
      rules: {
        version: 1,
        default: { fixed_target: 0, rate: 0 },
        rules: [{ service_name: '*', http_method: '*', url_path: '*', fixed_target: 1, rate: 0 }],
      },
      clock: () => 0,
      random: () => 0.5,
    });
    assert.equal(decide(sampler).attributes?.[SAMPLING_RULE_ATTRIBUTE], 'local-rule-1');
  });

  it('bad rules (file missing, not JSON, invalid) log an error and use the default rule', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    const invalid = join(dir, 'invalid.json');
    const docs: unknown[] = [
      { version: 3, default: { fixed_target: 1, rate: 0.05 } },
      { version: 2 },
      { version: 2, default: { fixed_target: 1, rate: 2 } },
      { version: 2, default: { fixed_target: 1, rate: 0.1 }, rules: {} },
      { version: 2, default: { fixed_target: 1, rate: 0.1 }, rules: [null] },
      { version: 2, default: { fixed_target: 1, rate: 0.1 }, rules: [{ http_method: '*', url_path: '*' }] },
      {
        version: 2,
        default: { fixed_target: 1, rate: 0.1 },
        rules: [{ host: '*', http_method: '*', url_path: '*', fixed_target: -1, rate: 0 }],
      },
      null,
    ];
    errors.length = 0;
    for (const doc of docs) {
      writeFileSync(invalid, JSON.stringify(doc));
      const sampler = new AWSXRayLocalSampler({ rulesFile: invalid, clock: () => 0, random: () => 0.5 });
      assert.equal(decide(sampler).decision, SamplingDecision.RECORD_AND_SAMPLED);
    }
    new AWSXRayLocalSampler({ rulesFile: bad });
    new AWSXRayLocalSampler({ rulesFile: join(dir, 'missing.json') });
    new AWSXRayLocalSampler({ rules: { version: 9 } as never });
    assert.equal(errors.length, docs.length + 3);
  });
});
