/**
 * The arguments of `xray-local demo`, read with `node:util` parseArgs like the `xray-local` bin
 * (options.ts). parseArgs runs non-strict with tokens so that every mistake gets our one-line reason
 * (`--rate needs a value`, `unknown option "--x"`), then the values are checked against their ranges.
 */
import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** Seconds of traffic. */
  duration: number;
  /** Requests per second sent to the frontend. */
  rate: number;
  /** Stop after printing the results instead of serving until Ctrl-C. */
  exit: boolean;
  help: boolean;
  host?: string;
  udpPort?: number;
  tcpPort?: number;
  otlpPort?: number;
  uiPort?: number;
  maxTraces?: number;
}

export function installHint(): string {
  return (
    'npm install @xray-otel/local @xray-otel/register @opentelemetry/api @opentelemetry/sdk-node ' +
    '@opentelemetry/auto-instrumentations-node @opentelemetry/resource-detector-aws aws-xray-sdk-core ' +
    'aws-xray-sdk-express express'
  );
}

export const DEMO_USAGE = `Usage: xray-local demo [options]

Starts xray-local and four sample services sending to it (frontend, orders, payments with
OpenTelemetry and @xray-otel/register; inventory with the classic aws-xray-sdk-core), sends them
traffic, prints the service map and the slowest traces, and serves the viewer until Ctrl-C.

Options:
  --duration N     seconds of traffic (default 20)
  --rate N         requests per second to the frontend (default 10)
  --exit           stop after printing the results
  --host H         address xray-local binds (default 127.0.0.1)
  --udp-port N     segments and OTLP-over-UDP (default 2000; 0 = any free port)
  --tcp-port N     sampling API (default 2000)
  --otlp-port N    OTLP/HTTP (default 4318)
  --ui-port N      viewer and JSON API (default 2021)
  --max-traces N   traces kept in memory
  -h, --help       this text

The services need @xray-otel/register, @opentelemetry/api, aws-xray-sdk-core, aws-xray-sdk-express
and express. Outside this repository install them next to @xray-otel/local:
  ${installHint()}`;

export class DemoUsageError extends Error {}

/** The numeric options: their field, range, and whether only whole numbers are allowed. */
const NUMBERS = {
  duration: { field: 'duration', min: 0.1, max: 86400, integer: false },
  rate: { field: 'rate', min: 0.1, max: 1000, integer: false },
  'max-traces': { field: 'maxTraces', min: 1, max: 10_000_000, integer: true },
  'udp-port': { field: 'udpPort', min: 0, max: 65535, integer: true },
  'tcp-port': { field: 'tcpPort', min: 0, max: 65535, integer: true },
  'otlp-port': { field: 'otlpPort', min: 0, max: 65535, integer: true },
  'ui-port': { field: 'uiPort', min: 0, max: 65535, integer: true },
} as const;

const OPTIONS = {
  ...(Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' }])) as Record<
    keyof typeof NUMBERS,
    { type: 'string' }
  >),
  host: { type: 'string' },
  exit: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseNumber(flag: string, text: string, range: (typeof NUMBERS)[keyof typeof NUMBERS]): number {
  const { min, max, integer } = range;
  const value = Number(text);
  if (
    text === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new DemoUsageError(
      `${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}

/** Parses the arguments after `demo`. Throws DemoUsageError with a one-line reason. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { duration: 20, rate: 10, exit: false, help: false };
  const { tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option' || !Object.hasOwn(OPTIONS, token.name)) {
      throw new DemoUsageError(`unknown option "${argv[token.index]}" (see xray-local demo --help)`);
    }
    const flag = `--${token.name}`;
    const name = token.name as keyof typeof OPTIONS;
    if (name === 'exit' || name === 'help') {
      if (token.value !== undefined) throw new DemoUsageError(`${flag} takes no value`);
      options[name] = true;
    } else if (token.value === undefined || token.value === '') {
      throw new DemoUsageError(`${flag} needs a value`);
    } else if (name === 'host') {
      options.host = token.value;
    } else {
      options[NUMBERS[name].field] = parseNumber(flag, token.value, NUMBERS[name]);
    }
  }
  return options;
}
