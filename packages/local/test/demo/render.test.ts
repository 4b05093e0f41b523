import * as assert from 'node:assert/strict';
import {
  busyPortMessage,
  formatLatency,
  renderProgress,
  renderServiceMap,
  renderSlowest,
  table,
} from '../../src/demo/render';
import { MAP, summary } from './fixtures';

describe('demo: text', () => {
  it('formats latencies', () => {
    assert.equal(formatLatency(0.0123), '12.3 ms');
    assert.equal(formatLatency(2.5), '2.50 s');
    assert.equal(formatLatency(NaN), '-');
  });

  it('aligns columns, numbers to the right', () => {
    assert.equal(
      table([
        ['a', '1'],
        ['bbb', '100'],
      ]),
      '  a      1\n  bbb  100',
    );
  });

  it('renders the service map: nodes with type and figures, then edges a -> b', () => {
    const text = renderServiceMap(MAP);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Service map: 4 nodes, 4 edges');
    assert.match(lines[1], /^ {2}node\s+type\s+requests\s+avg\s+error\s+fault\s+throttle$/);
    // Services first, then inferred nodes, by name.
    assert.deepEqual(
      lines.slice(2, 6).map((l) => l.trim().split(/\s+/)[0]),
      ['frontend', 'payments', 'client', 'DynamoDB'],
    );
    assert.match(text, /frontend\s+-\s+10\s+100\.0 ms\s+0\.0%\s+10\.0%\s+0\.0%/);
    assert.match(text, /payments\s+-\s+10\s+1\.50 s\s+20\.0%\s+0\.0%\s+20\.0%/);
    assert.match(text, /DynamoDB\s+AWS::DynamoDB \(inferred\)\s+10\s+12\.0 ms/);
    assert.match(text, /client -> frontend\s+10/);
    assert.match(text, /frontend -> DynamoDB\s+12\s+12\.0 ms/);
    assert.match(text, /frontend -> payments\s+10\s+1\.50 s\s+20\.0%/);
    assert.match(text, /ghost -> frontend/);
    assert.ok(
      text.indexOf('frontend -> DynamoDB') < text.indexOf('frontend -> payments'),
      'busier edge first',
    );
  });

  it('renders an empty service map', () => {
    assert.equal(renderServiceMap({ nodes: [], edges: [] }), 'Service map: 0 nodes, 0 edges (no traces yet)');
    const noEdges = renderServiceMap({ nodes: MAP.nodes.slice(1, 2), edges: [] });
    assert.ok(!noEdges.includes('->'));
  });

  it('renders the five slowest traces with id, duration, root, request and status', () => {
    const traces = [
      summary('1-00000001-000000000000000000000001', 0.01),
      summary('1-00000001-000000000000000000000002', 0.5, {
        http: { method: 'GET', url: 'http://127.0.0.1:1/checkout?customer=c-1', status: 502 },
        fault: true,
      }),
      summary('1-00000001-000000000000000000000003', 0.2, {
        http: { method: 'GET', url: 'not a url', status: 429 },
        error: true,
        throttle: true,
      }),
      summary('1-00000001-000000000000000000000004', 0.3),
      summary('1-00000001-000000000000000000000005', 0.05),
      summary('1-00000001-000000000000000000000006', 0.001),
    ];
    const lines = renderSlowest(traces).split('\n');
    assert.equal(lines[0], 'Slowest 5 traces');
    assert.equal(lines.length, 7);
    assert.match(
      lines[2],
      /^ {2}1-00000001-0+2\s+500\.0 ms\s+frontend\s+GET \/checkout\?customer=c-1\s+502\s+fault$/,
    );
    assert.match(lines[3], /0+4\s+300\.0 ms\s+frontend\s+-$/);
    assert.match(lines[4], /0+3\s+200\.0 ms\s+frontend\s+GET not a url\s+429\s+error,throttle$/);
    assert.ok(!lines.join('\n').includes('000006'), 'only five');
    assert.equal(renderSlowest([]), 'Slowest traces: none received');
  });

  it('renders the progress line', () => {
    assert.equal(
      renderProgress({
        elapsedSeconds: 3.2,
        durationSeconds: 20,
        sent: 32,
        ok: 30,
        failed: 2,
        stats: { received: 400, rejected: 1, traces: 32 },
      }),
      '   3/20 s  requests sent 32 (ok 30, failed 2)  documents received 400  rejected 1  traces 32',
    );
  });

  it('names the busy port and the flags', () => {
    const err = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 2021 });
    assert.match(busyPortMessage(err)!, /^port 2021 is already in use.*--ui-port/);
    assert.match(busyPortMessage({ code: 'EADDRINUSE' })!, /^a port is already in use/);
    assert.equal(busyPortMessage(new Error('x')), undefined);
    assert.equal(busyPortMessage(undefined), undefined);
  });
});
