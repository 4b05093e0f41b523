/**
 * Supervision of the demo's service processes. Each runs as `node <args>` with an IPC channel:
 *  - readiness comes over IPC: the service sends `{ event: 'listening', port }` once it listens
 *    (demo/lib.cjs `serve`); the start is bounded by a timer, and fails with the stderr tail when the
 *    process exits first;
 *  - a service never outlives the demo: it exits when the IPC channel closes, which happens however
 *    the demo ends (even SIGKILL); `stop()` sends SIGTERM then SIGKILL, and `kill()` is synchronous
 *    for `process.on('exit')`.
 */
import { spawn } from 'node:child_process';

/** What a demo service sends over IPC once it listens. */
export interface ListeningMessage {
  event: 'listening';
  port: number;
}

export function isListeningMessage(message: unknown): message is ListeningMessage {
  const m = message as Partial<ListeningMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.event === 'listening' &&
    Number.isInteger(m.port) &&
    (m.port as number) > 0 &&
    (m.port as number) <= 65535
  );
}

export interface ServiceLaunch {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface RunningService {
  name: string;
  url: string;
  /** Stops it (SIGTERM, then SIGKILL after a grace period); safe to call twice. */
  stop(): Promise<void>;
  /** Kills it at once, synchronously (for `process.on('exit')`). */
  kill(): void;
}

/** How long a service has to exit after SIGTERM (it flushes its last spans) before SIGKILL. */
const STOP_GRACE_MS = 2000;
/** The stderr kept to explain a failed start. */
const STDERR_TAIL = 4096;

/** Starts `node <args>` and resolves once it says over IPC that it listens; rejects otherwise. */
export function startNodeService(launch: ServiceLaunch): Promise<RunningService> {
  const child = spawn(process.execPath, launch.args, {
    env: launch.env,
    // stdout is not read (readiness comes over IPC); stderr explains a failed start.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child
    .stderr!.setEncoding('utf8')
    .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // 'close' comes after 'exit' once stderr is drained, so a failed start has its whole reason.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const service: RunningService = {
    name: launch.name,
    url: '',
    kill() {
      if (!gone()) child.kill('SIGKILL');
    },
    async stop() {
      if (!gone() && child.pid !== undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await closed;
        clearTimeout(timer);
      }
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('close', onClose);
      if (error) void service.stop().then(() => reject(error));
      else resolve(service);
    };
    const fail = (why: string) =>
      settle(new Error(`${launch.name} ${why}${stderr.trim() ? `:\n${stderr.trim()}` : ''}`));
    const onMessage = (message: unknown) => {
      if (!isListeningMessage(message)) return;
      service.url = `http://127.0.0.1:${message.port}`;
      settle();
    };
    const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (${code ?? signal}) before listening`);
    const timer = setTimeout(() => fail(`not listening after ${launch.timeoutMs} ms`), launch.timeoutMs);
    child.on('message', onMessage);
    child.once('close', onClose);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
  });
}
