/**
 * The demo's sample services (files in packages/local/demo/) and how each is started: its node
 * arguments, its environment (the daemon address, its name, its downstreams' URLs), and the requests
 * the demo sends the frontend. Pure functions; supervise.ts runs the processes.
 */
import * as path from 'node:path';
import { LAMBDA_TRACE_HEADER_ENV } from '@xray-otel/core';

export interface DemoService {
  name: string;
  /** File in packages/local/demo. */
  script: string;
  /** Started with `-r @xray-otel/register` (OpenTelemetry); false for the classic SDK. */
  preload: boolean;
  /** Environment variable -> the service whose URL it carries. */
  downstreams: Record<string, string>;
}

/** In start order: a service comes after the ones it calls. */
export const DEMO_SERVICES: DemoService[] = [
  { name: 'payments', script: 'payments.cjs', preload: true, downstreams: {} },
  { name: 'inventory', script: 'inventory.cjs', preload: false, downstreams: {} },
  {
    name: 'orders',
    script: 'orders.cjs',
    preload: true,
    downstreams: { PAYMENTS_URL: 'payments', INVENTORY_URL: 'inventory' },
  },
  { name: 'frontend', script: 'frontend.cjs', preload: true, downstreams: { ORDERS_URL: 'orders' } },
];

/** Where the demo services' files are: `demo/` in the package, beside `build/` (and `src/`). */
export const DEMO_DIR = path.resolve(__dirname, '..', '..', 'demo');

/** A host clients can send to: a wildcard bind address means loopback. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** AWS_XRAY_DAEMON_ADDRESS for the services (xray-protocol.md §7: one address, or tcp: and udp:). */
export function daemonAddress(host: string, udpPort: number, tcpPort: number): string {
  const h = clientHost(host);
  return udpPort === tcpPort ? `${h}:${udpPort}` : `tcp:${h}:${tcpPort} udp:${h}:${udpPort}`;
}

/**
 * The environment of one service: the demo's own minus settings that would send the spans elsewhere
 * or change the SDKs (`OTEL_*`, `AWS_XRAY_*`), plus the daemon address, the service name and the
 * URLs of the services it calls.
 */
export function serviceEnv(
  service: DemoService,
  address: string,
  urls: Record<string, string>,
  base: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('OTEL_') || key.startsWith('AWS_XRAY_') || key === LAMBDA_TRACE_HEADER_ENV) continue;
    if (key === 'NODE_OPTIONS' && value && /register|ts-node|nyc/.test(value)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    AWS_XRAY_DAEMON_ADDRESS: address,
    OTEL_SERVICE_NAME: service.name,
    // No cloud metadata endpoint probed; spans leave within 100 ms; the noisy instrumentations off.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,process',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs,dns,net',
    OTEL_AWS_XRAY_INDEXED_ATTRIBUTES: 'customer_id,payment_outcome',
  });
  for (const [variable, target] of Object.entries(service.downstreams)) {
    const url = urls[target];
    if (!url) throw new Error(`${service.name} needs ${target}, which is not running`);
    env[variable] = url;
  }
  return env;
}

/** The node arguments of one service. */
export function serviceArgs(service: DemoService, preload: string, dir = DEMO_DIR): string[] {
  const script = path.join(dir, service.script);
  return service.preload ? ['-r', preload, script] : [script];
}

/** The frontend path of request number `i`: a few customers and items, so filters have something. */
export function requestPath(i: number): string {
  return `/checkout?customer=c-${(i % 7) + 1}&item=sku-${(i % 3) + 1}`;
}
