/** Against xray-local's sampling API (the daemon proxy's twin) on 127.0.0.1. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SamplingDecision, SpanKind } from '@opentelemetry/api';
import { XRayLocal } from '@xray-otel/local';
import { AWSXRayRemoteSampler, SAMPLING_RULE_ATTRIBUTE } from '../src';

describe('AWSXRayRemoteSampler against xray-local', () => {
  let local: XRayLocal;
  let endpoint: string;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sampler-local-'));
    const file = join(dir, 'rules.json');
    const rules = Array.from({ length: 120 }, (_, i) => ({
      RuleName: `r${String(i).padStart(3, '0')}`,
      ResourceARN: '*',
      Priority: 10 + i,
      FixedRate: 0,
      ReservoirSize: 3,
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: `/p${i}`,
      Version: 1,
    }));
    rules.push({ ...rules[0], RuleName: 'api', Priority: 1, URLPath: '/api/*', ReservoirSize: 2 });
    writeFileSync(file, JSON.stringify({ SamplingRules: rules }));
    local = new XRayLocal({
      udpPort: 0,
      tcpPort: 0,
      otlpPort: 0,
      uiPort: 0,
      quiet: true,
      samplingRulesFile: file,
    });
    const addresses = await local.start();
    endpoint = `http://127.0.0.1:${addresses.tcpPort}`;
  });
  after(() => local.stop());

  it('fetches every page, reports statistics, applies the granted quota', async () => {
    // The sampler's own clock (epoch ms): the reservoir's second turns over without a real wait.
    let now = Date.now();
    const sampler = new AWSXRayRemoteSampler({ endpoint, random: () => 0.99, clock: () => now });
    try {
      assert.equal(await sampler.refreshRules(), true);
      const names = sampler.ruleNames();
      assert.equal(names.length, 122); // 121 + Default, over two pages of 100
      assert.equal(names[0], 'api');
      assert.equal(names[names.length - 1], 'Default');
      const decide = () =>
        sampler.shouldSample(
          context.active(),
          '0af7651916cd43dd8448eb211c80319c',
          'op',
          SpanKind.SERVER,
          { 'url.path': '/api/x' },
          [],
        );
      const first = decide();
      assert.equal(first.decision, SamplingDecision.RECORD_AND_SAMPLED);
      assert.equal(first.attributes?.[SAMPLING_RULE_ATTRIBUTE], 'api');
      assert.equal(await sampler.reportStatistics(), true);
      // the quota xray-local granted (ReservoirSize 2, one client) is used in the next second
      now = (Math.floor(now / 1000) + 1) * 1000 + 5;
      let sampled = 0;
      for (let i = 0; i < 10; i++) if (decide().decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
      assert.equal(sampled, 2);
    } finally {
      await sampler.shutdown();
    }
  });
});
