import * as assert from 'assert';
import {
  XRAY_OTLP_TRACES_PATH,
  isXRayOtlpEndpoint,
  regionFromXRayEndpoint,
  xrayOtlpEndpoint,
} from '../src/xray-endpoint';

describe('xray-endpoint', () => {
  // Hosts from https://docs.aws.amazon.com/general/latest/gr/xray.html, one per partition.
  const partitions = [
    { region: 'us-east-1', url: 'https://xray.us-east-1.amazonaws.com/v1/traces' },
    { region: 'eu-central-2', url: 'https://xray.eu-central-2.amazonaws.com/v1/traces' },
    { region: 'cn-north-1', url: 'https://xray.cn-north-1.amazonaws.com.cn/v1/traces' },
    { region: 'cn-northwest-1', url: 'https://xray.cn-northwest-1.amazonaws.com.cn/v1/traces' },
    { region: 'us-gov-west-1', url: 'https://xray.us-gov-west-1.amazonaws.com/v1/traces' },
    { region: 'us-gov-east-1', url: 'https://xray.us-gov-east-1.amazonaws.com/v1/traces' },
  ];

  for (const { region, url } of partitions) {
    it(`${region}: builds, recognises and parses ${url}`, () => {
      assert.equal(xrayOtlpEndpoint(region), url);
      assert.equal(isXRayOtlpEndpoint(url), true);
      assert.equal(regionFromXRayEndpoint(url), region);
      assert.equal(regionFromXRayEndpoint(new URL(url)), region);
    });
  }

  it('FIPS hosts (commercial US and GovCloud)', () => {
    assert.equal(
      xrayOtlpEndpoint('us-east-2', { fips: true }),
      'https://xray-fips.us-east-2.amazonaws.com/v1/traces',
    );
    assert.equal(
      regionFromXRayEndpoint('https://xray-fips.us-gov-west-1.amazonaws.com/v1/traces'),
      'us-gov-west-1',
    );
    assert.equal(isXRayOtlpEndpoint('https://xray-fips.us-east-1.amazonaws.com/v1/traces'), true);
  });

  it('accepts a trailing slash and an upper-case host', () => {
    assert.equal(isXRayOtlpEndpoint('https://XRAY.us-west-2.AMAZONAWS.com/v1/traces/'), true);
    assert.equal(regionFromXRayEndpoint('https://XRAY.us-west-2.AMAZONAWS.com/v1/traces'), 'us-west-2');
  });

  it('rejects other hosts, paths, schemes and mismatched partitions', () => {
    for (const url of [
      'http://xray.us-east-1.amazonaws.com/v1/traces', // not https
      'https://xray.us-east-1.amazonaws.com/v1/logs',
      'https://xray.us-east-1.amazonaws.com/',
      'https://logs.us-east-1.amazonaws.com/v1/traces',
      'https://xray.us-east-1.amazonaws.com.evil.example/v1/traces',
      'https://vpce-123.xray.us-east-1.vpce.amazonaws.com/v1/traces',
      'https://xray.cn-north-1.amazonaws.com/v1/traces', // China region outside .com.cn
      'https://xray.us-east-1.amazonaws.com.cn/v1/traces', // commercial region inside .com.cn
      'https://xray.localhost.amazonaws.com/v1/traces',
      'http://127.0.0.1:4318/v1/traces',
      'not a url',
    ]) {
      assert.equal(isXRayOtlpEndpoint(url), false, url);
    }
    assert.equal(regionFromXRayEndpoint('not a url'), undefined);
    assert.equal(regionFromXRayEndpoint('https://xray.cn-north-1.amazonaws.com/v1/traces'), undefined);
    assert.equal(regionFromXRayEndpoint('http://127.0.0.1:4318/v1/traces'), undefined);
  });

  it('refuses to build a URL from something that is not a region', () => {
    assert.throws(() => xrayOtlpEndpoint('us-east'), /Not an AWS region name/);
    assert.throws(() => xrayOtlpEndpoint('evil.example/x'), /Not an AWS region name/);
    assert.equal(XRAY_OTLP_TRACES_PATH, '/v1/traces');
  });
});
