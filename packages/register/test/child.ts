// Child processes for the preload tests: node with -r / --import and a script written to a temporary
// directory, a UDP listener standing in for the daemon, and ports with nobody listening. The
// children load the build (build/index.js / index.mjs): run `npx tsc --build` first.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const REGISTER_CJS = require.resolve('@xray-otel/register');
export const API = require.resolve('@opentelemetry/api');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Daemon {
  port: number;
  segments: Record<string, unknown>[];
  close(): void;
}

/** A UDP listener on 127.0.0.1 that parses segment datagrams. */
export async function startDaemon(): Promise<Daemon> {
  const socket: Socket = createSocket('udp4');
  const segments: Record<string, unknown>[] = [];
  socket.on('message', (message) => {
    const text = message.toString();
    const newline = text.indexOf('\n');
    assert.equal(text.slice(0, newline), '{"format":"json","version":1}');
    segments.push(JSON.parse(text.slice(newline + 1)));
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: (socket.address() as AddressInfo).port, segments, close: () => socket.close() };
}

/** A UDP port on 127.0.0.1 with nobody listening (bound, then closed). */
export async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A TCP port on 127.0.0.1 with nobody listening (listened on, then closed). */
export async function closedTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Writes `body` to `dir/name`; returns the path. */
export function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

/**
 * Runs node with `args` and only `env` (plus PATH and OTEL_NODE_RESOURCE_DETECTORS=env,process: no
 * cloud probe); `onReady` is called when the child prints READY.
 */
export function run(
  args: string[],
  env: Record<string, string>,
  onReady?: (pid: number) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', OTEL_NODE_RESOURCE_DETECTORS: 'env,process', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (onReady && stdout.includes('READY')) {
        const ready = onReady;
        onReady = undefined;
        ready(child.pid as number);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const settle = (ms = 200): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
