import * as assert from 'node:assert/strict';
import {
  clientHost,
  daemonAddress,
  DEMO_SERVICES,
  requestPath,
  serviceArgs,
  serviceEnv,
} from '../../src/demo/services';

describe('demo: services and environment', () => {
  it('starts a service after the ones it calls', () => {
    const seen = new Set<string>();
    for (const service of DEMO_SERVICES) {
      for (const target of Object.values(service.downstreams)) assert.ok(seen.has(target), target);
      seen.add(service.name);
    }
    assert.deepEqual([...seen].sort(), ['frontend', 'inventory', 'orders', 'payments']);
  });

  it('builds the daemon address', () => {
    assert.equal(daemonAddress('127.0.0.1', 2000, 2000), '127.0.0.1:2000');
    assert.equal(daemonAddress('0.0.0.0', 40001, 40002), 'tcp:127.0.0.1:40002 udp:127.0.0.1:40001');
    assert.equal(clientHost('::'), '127.0.0.1');
    assert.equal(clientHost(''), '127.0.0.1');
    assert.equal(clientHost('::1'), '[::1]');
    assert.equal(clientHost('localhost'), 'localhost');
  });

  it('gives each service its name, the daemon, its downstream URLs, and drops outside settings', () => {
    const orders = DEMO_SERVICES.find((s) => s.name === 'orders')!;
    const env = serviceEnv(
      orders,
      '127.0.0.1:2000',
      { payments: 'http://127.0.0.1:1', inventory: 'http://127.0.0.1:2' },
      {
        PATH: '/bin',
        OTEL_TRACES_EXPORTER: 'otlp',
        AWS_XRAY_DAEMON_ADDRESS: 'elsewhere:2000',
        AWS_REGION: 'eu-west-1',
        _X_AMZN_TRACE_ID: 'Root=1',
        NODE_OPTIONS: '--require ts-node/register',
      },
    );
    assert.equal(env.PATH, '/bin');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.OTEL_TRACES_EXPORTER, undefined);
    assert.equal(env._X_AMZN_TRACE_ID, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.equal(env.AWS_XRAY_DAEMON_ADDRESS, '127.0.0.1:2000');
    assert.equal(env.OTEL_SERVICE_NAME, 'orders');
    assert.equal(env.PAYMENTS_URL, 'http://127.0.0.1:1');
    assert.equal(env.INVENTORY_URL, 'http://127.0.0.1:2');
    assert.equal(env.OTEL_NODE_RESOURCE_DETECTORS, 'env,process');
    const kept = serviceEnv(DEMO_SERVICES[0], 'a:1', {}, { NODE_OPTIONS: '--max-old-space-size=100' });
    assert.equal(kept.NODE_OPTIONS, '--max-old-space-size=100');
  });

  it('refuses to start a service before its downstream', () => {
    const frontend = DEMO_SERVICES.find((s) => s.name === 'frontend')!;
    assert.throws(() => serviceEnv(frontend, 'a:1', {}, {}), /frontend needs orders/);
  });

  it('preloads @xray-otel/register for the OpenTelemetry services only', () => {
    const [payments, inventory] = DEMO_SERVICES;
    assert.deepEqual(serviceArgs(payments, '/r.js', '/demo'), ['-r', '/r.js', '/demo/payments.cjs']);
    assert.deepEqual(serviceArgs(inventory, '/r.js', '/demo'), ['/demo/inventory.cjs']);
  });

  it('varies the customers and items of the requests', () => {
    assert.equal(requestPath(0), '/checkout?customer=c-1&item=sku-1');
    assert.equal(requestPath(8), '/checkout?customer=c-2&item=sku-3');
  });
});
