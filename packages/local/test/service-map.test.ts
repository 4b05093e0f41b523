/** Service map: services, the client node, inferred remote / AWS nodes, edge and node statistics. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { analyzeTrace, buildServiceMap, rootDocument } from '../src/service-map';
import { TraceStore } from '../src/store';
import type { EdgeStats, SegmentDocument } from '../src/types';
import { threeServiceTrace } from './trace-fixtures';

function stats(requests: number, averageLatency: number, error = 0, fault = 0, throttle = 0): EdgeStats {
  return { requests, averageLatency, errorRate: error, faultRate: fault, throttleRate: throttle };
}

describe('buildServiceMap', () => {
  it('maps a 3-service trace with a remote HTTP call and a DynamoDB call exactly', () => {
    const { docs } = threeServiceTrace();
    const map = buildServiceMap([{ documents: docs }]);
    assert.deepEqual(map, {
      nodes: [
        {
          id: 'DynamoDB|AWS::DynamoDB',
          name: 'DynamoDB',
          type: 'AWS::DynamoDB',
          inferred: true,
          stats: stats(1, 0.1, 1, 0, 1),
        },
        {
          id: 'api.example.com|remote',
          name: 'api.example.com',
          type: 'remote',
          inferred: true,
          stats: stats(1, 0.1, 0, 1),
        },
        { id: 'client|client', name: 'client', type: 'client', inferred: true, stats: stats(1, 0.5) },
        {
          id: 'frontend|AWS::EC2::Instance',
          name: 'frontend',
          type: 'AWS::EC2::Instance',
          inferred: false,
          stats: stats(1, 0.5),
        },
        {
          id: 'inventory|service',
          name: 'inventory',
          type: 'service',
          inferred: false,
          stats: stats(1, 0.1, 1),
        },
        {
          id: 'orders|AWS::ECS::Container',
          name: 'orders',
          type: 'AWS::ECS::Container',
          inferred: false,
          stats: stats(1, 0.27),
        },
      ],
      edges: [
        { source: 'client|client', target: 'frontend|AWS::EC2::Instance', stats: stats(1, 0.5) },
        {
          source: 'frontend|AWS::EC2::Instance',
          target: 'api.example.com|remote',
          stats: stats(1, 0.1, 0, 1),
        },
        {
          source: 'frontend|AWS::EC2::Instance',
          target: 'orders|AWS::ECS::Container',
          stats: stats(1, 0.27),
        },
        {
          source: 'orders|AWS::ECS::Container',
          target: 'DynamoDB|AWS::DynamoDB',
          stats: stats(1, 0.1, 1, 0, 1),
        },
        { source: 'orders|AWS::ECS::Container', target: 'inventory|service', stats: stats(1, 0.1, 1) },
      ],
    });
  });

  it('aggregates requests, latency and rates over traces; same map whatever the document order', () => {
    const a = threeServiceTrace('1-00000001-000000000000000000000001').docs;
    const b = threeServiceTrace('1-00000002-000000000000000000000002').docs.map((d) =>
      d.name === 'frontend' ? { ...d, end_time: 101, fault: true } : d,
    );
    const map = buildServiceMap([{ documents: a }, { documents: b }]);
    const client = map.edges.find((e) => e.source === 'client|client');
    assert.deepEqual(client?.stats, stats(2, 0.75, 0, 0.5));
    const frontend = map.nodes.find((n) => n.name === 'frontend');
    assert.deepEqual(frontend?.stats, stats(2, 0.75, 0, 0.5));
    assert.equal(map.edges.length, 5);
    fc.assert(
      fc.property(fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }), (order) => {
        assert.deepEqual(buildServiceMap([{ documents: order }]), buildServiceMap([{ documents: a }]));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('a segment whose caller has not arrived hangs off the client; orphan subsegments add nothing', () => {
    const { docs } = threeServiceTrace();
    const map = buildServiceMap([{ documents: [docs[1], docs[4]] }]);
    assert.deepEqual(
      map.edges.map((e) => `${e.source} -> ${e.target}`),
      ['client|client -> orders|AWS::ECS::Container'],
    );
    const lambda = buildServiceMap([
      {
        documents: [
          {
            type: 'subsegment',
            id: '32004dd2df090965',
            parent_id: '215c328fd963c6b7',
            name: '127.0.0.1',
            namespace: 'remote',
            start_time: 1,
            end_time: 2,
          },
        ],
      },
    ]);
    assert.deepEqual(lambda, { nodes: [], edges: [] });
  });

  it('calls nested inside a call, answered calls and in-progress segments', () => {
    const docs: SegmentDocument[] = [
      {
        id: 'aaaaaaaaaaaaaaaa',
        name: 'svc',
        start_time: 1,
        in_progress: true,
        subsegments: [
          {
            id: 'bbbbbbbbbbbbbbbb',
            name: 'S3',
            namespace: 'aws',
            start_time: 1,
            end_time: 2,
            subsegments: [
              {
                id: 'cccccccccccccccc',
                name: 's3.amazonaws.com',
                namespace: 'remote',
                start_time: 1,
                end_time: 2,
              },
            ],
          },
          { id: 'dddddddddddddddd', name: 'peer', namespace: 'remote', start_time: 2, end_time: 3 },
        ],
      },
      { id: 'eeeeeeeeeeeeeeee', parent_id: 'dddddddddddddddd', name: 'peer', start_time: 2.1, end_time: 2.9 },
      // An independent call under the (answered) call and one nested under S3: neither becomes a node.
      {
        type: 'subsegment',
        id: 'ffffffffffffffff',
        parent_id: 'bbbbbbbbbbbbbbbb',
        name: 'retry',
        namespace: 'remote',
        start_time: 1.5,
        end_time: 1.6,
      },
    ];
    const map = buildServiceMap([{ documents: docs }]);
    assert.deepEqual(
      map.nodes.map((n) => n.id),
      ['S3|AWS::S3', 'client|client', 'peer|service', 'svc|service'],
    );
    const svc = map.nodes.find((n) => n.id === 'svc|service');
    assert.deepEqual(svc?.stats, stats(1, 0));
    const graph = analyzeTrace(docs);
    assert.equal(graph.visits.length, 3);
    assert.equal(rootDocument(docs)?.id, 'aaaaaaaaaaaaaaaa');
    assert.equal(rootDocument([]), undefined);
  });

  it('TraceStore.serviceMap() is cached until the next document', () => {
    const store = new TraceStore();
    const { docs } = threeServiceTrace();
    store.add(docs[0]);
    const first = store.serviceMap();
    assert.equal(store.serviceMap(), first);
    store.add(docs[1]);
    assert.notEqual(store.serviceMap(), first);
    assert.equal(store.serviceMap().nodes.length, 4);
  });
});
