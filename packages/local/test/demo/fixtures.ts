/** Shared data of the demo tests: a service map and trace summaries as the store returns them. */
import type { ServiceMap, TraceSummary } from '../../src/types';

export const stats = (
  requests: number,
  averageLatency: number,
  rates: Partial<Record<string, number>> = {},
) => ({
  requests,
  averageLatency,
  errorRate: rates.error ?? 0,
  faultRate: rates.fault ?? 0,
  throttleRate: rates.throttle ?? 0,
});

export const MAP: ServiceMap = {
  nodes: [
    { id: 'client|client', name: 'client', type: 'client', inferred: true, stats: stats(10, 0.1) },
    { id: 'frontend|', name: 'frontend', type: '', inferred: false, stats: stats(10, 0.1, { fault: 0.1 }) },
    {
      id: 'DynamoDB|AWS::DynamoDB',
      name: 'DynamoDB',
      type: 'AWS::DynamoDB',
      inferred: true,
      stats: stats(10, 0.012),
    },
    {
      id: 'payments|',
      name: 'payments',
      type: '',
      inferred: false,
      stats: stats(10, 1.5, { error: 0.2, throttle: 0.2 }),
    },
  ],
  edges: [
    { source: 'client|client', target: 'frontend|', stats: stats(10, 0.1) },
    { source: 'frontend|', target: 'payments|', stats: stats(10, 1.5, { error: 0.2 }) },
    { source: 'frontend|', target: 'DynamoDB|AWS::DynamoDB', stats: stats(12, 0.012) },
    { source: 'ghost|x', target: 'frontend|', stats: stats(1, 0.001) },
  ],
};

export function summary(id: string, duration: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return {
    id,
    startTime: 1,
    duration,
    responseTime: duration,
    name: 'frontend',
    fault: false,
    error: false,
    throttle: false,
    documents: 1,
    services: ['frontend'],
    annotations: {},
    ...extra,
  };
}
