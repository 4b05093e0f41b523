#!/usr/bin/env node
/**
 * The `xray-local` bin: starts XRayLocal with the command-line options, prints where it listens,
 * stops cleanly on Ctrl-C / SIGTERM. `xray-local demo ...` runs the demo (demo.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, UsageError, USAGE, type XRayLocalOptions } from './options';
import { SamplingRulesError } from './sampling';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers the stop signal handler; returns the unsubscribe. */
  onSignal(handler: () => void): () => void;
}

const processIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  onSignal(handler) {
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** `host` as it goes in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Run the server until a signal; resolves with the exit code. */
export async function serve(options: XRayLocalOptions, io: CliIo = processIo): Promise<number> {
  const { XRayLocal } = await import('./server');
  const server = new XRayLocal({ ...options, logger: { info: io.out, warn: io.err } });
  let addresses;
  try {
    addresses = await server.start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `a port is already in use (${(error as Error).message}); choose others with --udp-port/--tcp-port/--otlp-port/--ui-port (0 = any free port)`
        : (error as Error).message;
    io.err(`xray-local: cannot start: ${message}`);
    return error instanceof SamplingRulesError ? 2 : 1;
  }
  const host = urlHost(addresses.host);
  io.out(`xray-local ${packageVersion()} listening on ${addresses.host}`);
  io.out(
    `  segments (UDP):      ${host}:${addresses.udpPort}   AWS_XRAY_DAEMON_ADDRESS=${host}:${addresses.udpPort}`,
  );
  io.out(`  sampling API (TCP):  ${host}:${addresses.tcpPort}`);
  io.out(`  OTLP/HTTP:           http://${host}:${addresses.otlpPort}/v1/traces`);
  io.out(`  web viewer:          http://${host}:${addresses.uiPort}/`);
  await new Promise<void>((resolve) => {
    const off = io.onSignal(() => {
      off();
      resolve();
    });
  });
  await server.stop();
  return 0;
}

/** The whole CLI: parse, dispatch; resolves with the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`xray-local: ${error.message}\n(xray-local --help lists the options)`);
    return 2;
  }
  switch (command.command) {
    case 'help':
      io.out(USAGE);
      return 0;
    case 'version':
      io.out(packageVersion());
      return 0;
    case 'demo': {
      const { runDemo } = await import('./demo');
      return runDemo(command.argv);
    }
    default:
      return serve(command.options, io);
  }
}

/* istanbul ignore next -- the bin entry point, exercised by the spawned smoke test */
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('xray-local: ' + String((error as Error)?.stack ?? error));
      process.exitCode = 1;
    },
  );
}
