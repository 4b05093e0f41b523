/**
 * xray-local's options: the typed object of `XRayLocal`, its defaults in one place, and the
 * command-line parser of the `xray-local` bin (`node:util` parseArgs).
 */
import { parseArgs } from 'node:util';

/** Where xray-local's own messages go. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

export interface XRayLocalOptions {
  /** Address every socket binds; default `127.0.0.1` (a warning is printed for a non-loopback one). */
  host?: string;
  /** UDP port for segment documents; default 2000 (the daemon's); 0 = ephemeral. */
  udpPort?: number;
  /** TCP port for the sampling API; default 2000 (the daemon uses one number for UDP and TCP). */
  tcpPort?: number;
  /** OTLP/HTTP port (`POST /v1/traces`); default 4318. */
  otlpPort?: number;
  /** Web viewer and JSON API port; default 2021. */
  uiPort?: number;
  /** JSON file of X-Ray sampling rules; default: the one `Default` rule. */
  samplingRulesFile?: string;
  /** Traces kept before the oldest are evicted; default 10,000. */
  maxTraces?: number;
  /** Append every accepted document to this NDJSON file. */
  saveFile?: string;
  /** Load documents from this NDJSON file at start. */
  loadFile?: string;
  /** No per-rejection console lines and no info lines. */
  quiet?: boolean;
  /** Default: info to stdout, warnings to stderr. */
  logger?: Logger;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  udpPort: 2000,
  tcpPort: 2000,
  otlpPort: 4318,
  uiPort: 2021,
  maxTraces: 10_000,
} as const;

export type ResolvedOptions = Required<
  Pick<XRayLocalOptions, 'host' | 'udpPort' | 'tcpPort' | 'otlpPort' | 'uiPort' | 'maxTraces' | 'quiet'>
> &
  Pick<XRayLocalOptions, 'samplingRulesFile' | 'saveFile' | 'loadFile'> & { logger: Logger };

export const consoleLogger: Logger = {
  info: (line) => console.log(line),
  warn: (line) => console.error(line),
};

/** Thrown for a bad option value or command line; the CLI exits 2 with its message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function port(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 0 || chosen > 65535)
    throw new UsageError(`${name} must be an integer from 0 to 65535, got ${value}`);
  return chosen;
}

/** Fill defaults and check values. */
export function resolveOptions(options: XRayLocalOptions = {}): ResolvedOptions {
  const maxTraces = options.maxTraces ?? DEFAULTS.maxTraces;
  if (!Number.isInteger(maxTraces) || maxTraces < 1)
    throw new UsageError(`maxTraces must be a positive integer, got ${options.maxTraces}`);
  const host = options.host ?? DEFAULTS.host;
  if (host === '') throw new UsageError('host must not be empty');
  return {
    host,
    udpPort: port('udpPort', options.udpPort, DEFAULTS.udpPort),
    tcpPort: port('tcpPort', options.tcpPort, DEFAULTS.tcpPort),
    otlpPort: port('otlpPort', options.otlpPort, DEFAULTS.otlpPort),
    uiPort: port('uiPort', options.uiPort, DEFAULTS.uiPort),
    maxTraces,
    quiet: options.quiet ?? false,
    samplingRulesFile: options.samplingRulesFile,
    saveFile: options.saveFile,
    loadFile: options.loadFile,
    logger: options.logger ?? consoleLogger,
  };
}

/** True for `localhost`, `127.x.x.x` and `::1`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export const USAGE = `Usage: xray-local [options]
       xray-local demo [demo options]     (xray-local demo --help)

A local stand-in for the AWS X-Ray daemon and console.

Options:
  --host HOST             address to bind (default 127.0.0.1)
  --udp-port N            UDP port for segment documents (default 2000; 0 = any free port)
  --tcp-port N            TCP port for the sampling API (default 2000)
  --otlp-port N           OTLP/HTTP port, POST /v1/traces (default 4318)
  --ui-port N             web viewer and JSON API port (default 2021)
  --sampling-rules FILE   JSON file of X-Ray sampling rules (default: one Default rule)
  --max-traces N          traces kept before the oldest are evicted (default 10000)
  --save FILE             append every accepted document to FILE (NDJSON)
  --load FILE             load documents from FILE (NDJSON) at start
  --quiet                 print no line per rejected document
  -h, --help              show this help
  -v, --version           show the version`;

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'demo'; argv: string[] }
  | { command: 'serve'; options: XRayLocalOptions };

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Parse the command line (without `node` and the script). */
export function parseCommandLine(argv: string[]): CliCommand {
  if (argv[0] === 'demo') return { command: 'demo', argv: argv.slice(1) };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        'udp-port': { type: 'string' },
        'tcp-port': { type: 'string' },
        'otlp-port': { type: 'string' },
        'ui-port': { type: 'string' },
        'sampling-rules': { type: 'string' },
        'max-traces': { type: 'string' },
        save: { type: 'string' },
        load: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (values.host === '') throw new UsageError('--host must not be empty');
  const options: XRayLocalOptions = {
    host: values.host,
    udpPort: integer('--udp-port', values['udp-port'], 0, 65535),
    tcpPort: integer('--tcp-port', values['tcp-port'], 0, 65535),
    otlpPort: integer('--otlp-port', values['otlp-port'], 0, 65535),
    uiPort: integer('--ui-port', values['ui-port'], 0, 65535),
    maxTraces: integer('--max-traces', values['max-traces'], 1, Number.MAX_SAFE_INTEGER),
    samplingRulesFile: values['sampling-rules'],
    saveFile: values.save,
    loadFile: values.load,
    quiet: values.quiet,
  };
  for (const key of Object.keys(options) as (keyof XRayLocalOptions)[])
    if (options[key] === undefined) delete options[key];
  return { command: 'serve', options };
}
