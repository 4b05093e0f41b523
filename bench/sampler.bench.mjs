// X-Ray remote sampling decisions/s: @xray-otel/sampler's AWSXRayRemoteSampler vs the contrib
// @opentelemetry/sampler-aws-xray (0.3.x) in the same run, both with the same 20 rules (plus
// Default) served by a tiny local sampling API (GetSamplingRules / SamplingTargets). The span is
// a realistic HTTP server span whose matching rule is the 15th in priority order. Issue target:
// >= 2x the contrib sampler. Before timing, both samplers must be evaluating the served rules (not
// their local fallback): checked from their decisions (a FixedRate 0 probe rule is never sampled,
// the 15th rule always is) and, for ours, the rule name recorded on the decision.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createBench, runAndReport } from './harness.mjs';

const require = createRequire(import.meta.url);
const api = require('@opentelemetry/api');
const { AWSXRayRemoteSampler, SAMPLING_RULE_ATTRIBUTE } = require('@xray-otel/sampler');
const contribModule = require('@opentelemetry/sampler-aws-xray');

const rule = (priority, name, fields, fixedRate = 0.1) => ({
  SamplingRule: {
    RuleName: name,
    RuleARN: `arn:aws:xray:us-east-1:123456789012:sampling-rule/${name}`,
    ResourceARN: '*',
    Priority: priority,
    FixedRate: fixedRate,
    ReservoirSize: 0,
    ServiceName: '*',
    ServiceType: '*',
    Host: '*',
    HTTPMethod: '*',
    URLPath: '*',
    Version: 1,
    Attributes: {},
    ...fields,
  },
});
// Priority order; the span (GET checkout-api /api/orders/12345, host shop.example.com) first
// matches rule 15. Earlier rules fail on different fields, some only on the last one compared.
const RULES = [
  rule(1, 'health', { URLPath: '/health*' }),
  rule(2, 'billing', { ServiceName: 'billing*' }),
  rule(3, 'orders-post', { HTTPMethod: 'POST', URLPath: '/api/orders*' }),
  rule(4, 'admin-host', { Host: 'admin.*' }),
  rule(5, 'static', { URLPath: '/static/*' }),
  rule(6, 'inventory', { ServiceName: 'inventory-?' }),
  rule(7, 'deletes', { HTTPMethod: 'DELETE' }),
  rule(8, 'users', { URLPath: '/api/users/*' }),
  rule(9, 'internal-host', { Host: '*.internal' }),
  rule(10, 'checkout-worker', { ServiceName: 'checkout-worker' }),
  rule(11, 'order-cancel', { ServiceName: 'checkout*', URLPath: '/api/orders/*/cancel' }),
  rule(12, 'puts', { HTTPMethod: 'PUT' }),
  rule(13, 'graphql', { URLPath: '/graphql' }),
  rule(14, 'probe-never', { URLPath: '/probe/never' }, 0),
  rule(
    15,
    'orders-get',
    { ServiceName: 'checkout*', HTTPMethod: 'GET', URLPath: '/api/orders/*', Host: '*.example.com' },
    1,
  ),
  rule(16, 'api-any', { URLPath: '/api/*' }),
  rule(17, 'gets', { HTTPMethod: 'GET' }),
  rule(18, 'example-hosts', { Host: '*.example.com' }),
  rule(19, 'checkout-any', { ServiceName: 'checkout*' }),
  rule(20, 'patch', { HTTPMethod: 'PATCH' }),
  rule(10000, 'Default', {}, 0),
];
const MATCHED = 'orders-get';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.url.startsWith('/GetSamplingRules')
      ? { SamplingRuleRecords: RULES }
      : { SamplingTargetDocuments: [], LastRuleModification: 0, UnprocessedStatistics: [] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${server.address().port}`;

const resource = {
  attributes: { 'service.name': 'checkout-api', 'cloud.provider': 'aws', 'cloud.platform': 'aws_ec2' },
};
const options = { resource, endpoint, pollingInterval: 300 };
const ours = new AWSXRayRemoteSampler(options);
const contrib = new contribModule.AWSXRayRemoteSampler(options);

// An HTTP server span as @opentelemetry/instrumentation-http sets it at start (old and stable
// semantic conventions both present, as with OTEL_SEMCONV_STABILITY_OPT_IN=http/dup).
const spanAttributes = (path) => ({
  'http.url': `https://shop.example.com${path}?expand=items`,
  'http.host': 'shop.example.com',
  'net.host.name': 'shop.example.com',
  'http.method': 'GET',
  'http.scheme': 'https',
  'http.target': `${path}?expand=items`,
  'http.user_agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
  'http.flavor': '1.1',
  'net.transport': 'ip_tcp',
  'net.host.ip': '10.0.1.17',
  'net.host.port': 443,
  'net.peer.ip': '203.0.113.7',
  'net.peer.port': 53412,
  'http.request.method': 'GET',
  'url.scheme': 'https',
  'url.path': path,
  'url.query': 'expand=items',
  'server.address': 'shop.example.com',
  'server.port': 443,
  'client.address': '203.0.113.7',
  'network.protocol.version': '1.1',
  'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
});
const request = spanAttributes('/api/orders/12345');
const probe = spanAttributes('/probe/never');
const TRACE = '5759e988bd862e3fe1be46a994272793';
const SERVER = api.SpanKind.SERVER;
const decide = (sampler, attributes) =>
  sampler.shouldSample(api.ROOT_CONTEXT, TRACE, 'GET /api/orders/:id', SERVER, attributes, []);
const SAMPLED = api.SamplingDecision.RECORD_AND_SAMPLED;

/** True when `sampler` follows the served rules: the probe never sampled, the request always. */
function followsRules(sampler) {
  for (let i = 0; i < 200; i++) {
    if (decide(sampler, probe).decision === SAMPLED) return false;
    if (decide(sampler, request).decision !== SAMPLED) return false;
  }
  return true;
}

/** The contrib sampler records no rule name: ask its rule cache which rule it matched. */
function contribMatchedRule() {
  const cache = contrib.internalXraySampler?.ruleCache;
  return cache?.getMatchedRule?.(request)?.samplingRule?.RuleName;
}

const deadline = Date.now() + 10_000;
for (;;) {
  const oursReady =
    decide(ours, request).attributes?.[SAMPLING_RULE_ATTRIBUTE] === MATCHED && followsRules(ours);
  const contribReady = followsRules(contrib);
  if (oursReady && contribReady) break;
  if (Date.now() > deadline) {
    throw new Error(
      `samplers did not load the rules within 10 s (ours ${oursReady}, contrib ${contribReady})`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const contribRule = contribMatchedRule();
if (contribRule !== undefined && contribRule !== MATCHED) {
  throw new Error(`contrib matched ${contribRule}, expected ${MATCHED}`);
}
console.log(
  `rules loaded: ours records ${SAMPLING_RULE_ATTRIBUTE}=${MATCHED}; contrib matched ${contribRule ?? '(rule cache not inspectable; checked by decisions)'}`,
);

let sink;
const bench = createBench();
bench
  .add('shouldSample 20 rules @xray-otel', () => {
    sink = decide(ours, request);
  })
  .add('shouldSample 20 rules contrib', () => {
    sink = decide(contrib, request);
  });
try {
  await runAndReport(bench, { 'shouldSample 20 rules @xray-otel': 'shouldSample 20 rules contrib' });
} finally {
  await ours.shutdown();
  contrib.stopPollers();
  await new Promise((resolve) => server.close(resolve));
}
if (sink === undefined) console.log('');
