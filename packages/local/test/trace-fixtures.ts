/** Shared test data for the store, service map, filter and API tests. */
import type { SegmentDocument } from '../src/types';

export const T1 = '1-00000064-000000000000000000000001';

/**
 * A 3-service trace: frontend (root, EC2) calls orders (ECS) through remote subsegment s1 and an
 * uninstrumented api.example.com (503); orders calls DynamoDB (throttled) and inventory (404) through
 * independent subsegments; a local subsegment streamed under the inventory call.
 */
export function threeServiceTrace(traceId = T1): { docs: SegmentDocument[]; inProgress: SegmentDocument } {
  const frontend: SegmentDocument = {
    trace_id: traceId,
    id: 'f000000000000001',
    name: 'frontend',
    origin: 'AWS::EC2::Instance',
    start_time: 100,
    end_time: 100.5,
    http: {
      request: {
        method: 'GET',
        url: 'https://shop.example.com/checkout',
        user_agent: 'Mozilla/5.0',
        client_ip: '203.0.113.7',
      },
      response: { status: 200 },
    },
    annotations: { customer: 'gold', tier: 1 },
    user: 'carol',
    subsegments: [
      {
        id: '5000000000000001',
        name: 'orders',
        namespace: 'remote',
        start_time: 100.01,
        end_time: 100.3,
        http: {
          request: { method: 'POST', url: 'http://orders/place', traced: true },
          response: { status: 200 },
        },
      },
      {
        id: '5000000000000002',
        name: 'api.example.com',
        namespace: 'remote',
        start_time: 100.31,
        end_time: 100.41,
        fault: true,
        http: {
          request: { method: 'GET', url: 'https://api.example.com/v2/rates' },
          response: { status: 503 },
        },
      },
    ],
  };
  const orders: SegmentDocument = {
    trace_id: traceId,
    id: '0000000000000002',
    parent_id: '5000000000000001',
    name: 'orders',
    origin: 'AWS::ECS::Container',
    start_time: 100.02,
    end_time: 100.29,
    http: { request: { method: 'POST', url: 'http://orders/place' }, response: { status: 200 } },
    annotations: { order_id: 'o-17' },
  };
  const dynamo: SegmentDocument = {
    trace_id: traceId,
    type: 'subsegment',
    parent_id: '0000000000000002',
    id: 'd000000000000003',
    name: 'DynamoDB',
    namespace: 'aws',
    start_time: 100.05,
    end_time: 100.15,
    error: true,
    throttle: true,
    aws: { operation: 'PutItem', table_name: 'orders' },
    http: { response: { status: 429 } },
  };
  const inventoryCall: SegmentDocument = {
    trace_id: traceId,
    type: 'subsegment',
    parent_id: '0000000000000002',
    id: '5000000000000003',
    name: 'inventory',
    namespace: 'remote',
    start_time: 100.16,
    end_time: 100.28,
    error: true,
    http: {
      request: { method: 'GET', url: 'http://inventory/stock', traced: true },
      response: { status: 404 },
    },
  };
  const serialize: SegmentDocument = {
    trace_id: traceId,
    type: 'subsegment',
    parent_id: '5000000000000003',
    id: 'e000000000000004',
    name: 'serialize',
    start_time: 100.161,
    end_time: 100.162,
    annotations: { bytes: 512 },
  };
  const inventory: SegmentDocument = {
    trace_id: traceId,
    id: '1000000000000005',
    parent_id: '5000000000000003',
    name: 'inventory',
    start_time: 100.17,
    end_time: 100.27,
    error: true,
    http: { request: { method: 'GET', url: 'http://inventory/stock' }, response: { status: 404 } },
  };
  const inProgress: SegmentDocument = { ...orders, in_progress: true, annotations: { stale: true } };
  delete inProgress.end_time;
  return { docs: [frontend, orders, dynamo, inventoryCall, serialize, inventory], inProgress };
}
