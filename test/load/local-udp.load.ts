// Load: 20,000 segment documents per second for XRAY_LOCAL_LOAD_SECONDS (default 30) seconds over
// loopback UDP into xray-local with `--max-traces 5000`. The server and the sender are two child
// processes (the server's memory figures are its own): `node packages/local/build/cli.js --quiet`,
// read through its JSON API, and test/helpers/local-load-sender.cjs.
// Checks: every datagram sent is received or counted by the kernel as a receive-buffer drop
// (/proc/net/snmp `Udp: RcvbufErrors`), every one received is accepted, the store holds at most
// max-traces traces and counts the evictions, memory stays bounded. Prints a figures table.
// Part of `npm run test:load` (not `npm test`): its checks are about throughput and memory.
//
// Thresholds (also in the README's command table):
//   - the sender sends at least 99 % of RATE x SECONDS documents, with no send error;
//   - received + kernel receive-buffer drops >= 99 % of sent (received >= 99 % where /proc/net/snmp
//     is missing); every received document accepted; evicted = accepted - traces kept <= MAX_TRACES;
//   - the server's peak RSS stays under 600 MiB, and its RSS after the run under RSS before + 300 MiB.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalApi } from '../helpers/local-server';
import { REPO_ROOT, sleep } from '../helpers/processes';

const SECONDS = Number(process.env.XRAY_LOCAL_LOAD_SECONDS || 30);
const RATE = 20000;
const MAX_TRACES = 5000;
/** Share of the documents that must be sent, and received (or counted as kernel drops). */
const DELIVERY_FLOOR = 0.99;
/** The server's peak RSS, in MiB. */
const PEAK_RSS_LIMIT_MIB = 600;
/** How much the server's RSS may grow over the run, in MiB. */
const RSS_GROWTH_LIMIT_MIB = 300;
const CLI = path.join(REPO_ROOT, 'packages', 'local', 'build', 'cli.js');
const SENDER = path.join(__dirname, '..', 'helpers', 'local-load-sender.cjs');

/** `Udp: RcvbufErrors` of this network namespace, or undefined where /proc/net/snmp is missing. */
function rcvbufErrors(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    const at = names.indexOf('RcvbufErrors');
    return at < 0 ? undefined : Number(values[at]);
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM (peak RSS) of `pid`, in MiB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${what} after ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${what}:\n${text}`));
    });
  });
}

describe(`xray-local under load: ${RATE} documents/s for ${SECONDS} s over UDP, max-traces ${MAX_TRACES}`, function () {
  this.timeout(SECONDS * 1000 + 90000);
  const children: ChildProcess[] = [];

  after(async function () {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('receives what was sent (or counts the kernel drops), accepts it, evicts beyond max-traces, in bounded memory', async () => {
    const server = spawn(
      process.execPath,
      [
        CLI,
        '--udp-port',
        '0',
        '--tcp-port',
        '0',
        '--otlp-port',
        '0',
        '--ui-port',
        '0',
        '--max-traces',
        String(MAX_TRACES),
        '--quiet',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(server);
    const ready = waitForOutput(
      server,
      /segments \(UDP\):\s+[\d.]+:(\d+)[\s\S]*web viewer:\s+http:\/\/[\d.]+:(\d+)\//,
      'listening lines',
      20000,
    );
    const match = await ready;
    const udpPort = Number(match[1]);
    const api = new LocalApi(`http://127.0.0.1:${match[2]}`);
    await api.stats();
    await sleep(500);
    const before = memoryOf(server.pid!);
    const dropsBefore = rcvbufErrors();

    const sender = spawn(process.execPath, [SENDER, String(udpPort), String(RATE), String(SECONDS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(sender);
    let peak = before.rss;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, memoryOf(server.pid!).rss);
      } catch {
        // the server is gone; the assertions below say so
      }
    }, 250);
    const result = JSON.parse(
      (await waitForOutput(sender, /^\{.*\}$/m, 'the sender result', SECONDS * 1000 + 30000))[0],
    ) as {
      sent: number;
      errors: number;
      seconds: number;
    };
    // Drain: wait until the server's count stops moving.
    let stats = await api.stats();
    for (let still = 0, last = -1; still < 4;) {
      await sleep(250);
      stats = await api.stats();
      still = stats.received === last ? still + 1 : 0;
      last = stats.received;
    }
    clearInterval(sampler);
    const dropsAfter = rcvbufErrors();
    const drops =
      dropsBefore === undefined || dropsAfter === undefined ? undefined : dropsAfter - dropsBefore;
    const after = memoryOf(server.pid!);
    // The API still answers, with the newest traces.
    const listed = await api.traces(undefined, 10);

    const row = (label: string, value: string | number) =>
      `  ${label.padEnd(28)} ${String(value).padStart(14)}`;
    console.log(
      [
        '',
        `  xray-local load figures (${SECONDS} s at ${RATE}/s, max-traces ${MAX_TRACES})`,
        row('sent', result.sent),
        row('send errors', result.errors),
        row('received', stats.received),
        row('accepted', stats.accepted),
        row('rejected', stats.rejected),
        row('rcvbuf drops (kernel)', drops ?? 'n/a'),
        row('evicted', stats.evicted),
        row('traces kept', stats.traces),
        row('RSS before (MiB)', before.rss.toFixed(1)),
        row('RSS peak (MiB)', Math.max(peak, after.peak).toFixed(1)),
        row('RSS after (MiB)', after.rss.toFixed(1)),
        row('docs/s sent', (result.sent / result.seconds).toFixed(0)),
        row('docs/s received', (stats.received / result.seconds).toFixed(0)),
        '',
      ].join('\n'),
    );

    assert.equal(result.errors, 0, 'no send errors');
    assert.ok(result.sent >= RATE * SECONDS * DELIVERY_FLOOR, `sent ${result.sent}`);
    assert.ok(stats.received <= result.sent, 'never more than was sent');
    if (drops === undefined) {
      assert.ok(
        stats.received >= result.sent * DELIVERY_FLOOR,
        `received ${stats.received} of ${result.sent}`,
      );
    } else {
      // The kernel may drop when the server falls behind; every loss must show up as a drop. (The
      // counter is the namespace's: other UDP traffic can only make it larger.)
      assert.ok(
        stats.received + drops >= result.sent * DELIVERY_FLOOR,
        `received ${stats.received} + kernel drops ${drops} < 99 % of sent ${result.sent}`,
      );
    }
    assert.equal(stats.rejected, 0, JSON.stringify(stats.rejectedByReason));
    assert.equal(stats.accepted, stats.received);
    assert.ok(stats.traces <= MAX_TRACES, `traces ${stats.traces}`);
    // One trace per document: all but the newest MAX_TRACES were evicted.
    assert.equal(stats.evicted, stats.accepted - stats.traces);
    assert.equal(listed.length, 10);
    // Bounded: the store holds at most 5,000 one-document traces, whatever went through it.
    assert.ok(
      Math.max(peak, after.peak) < PEAK_RSS_LIMIT_MIB,
      `peak RSS ${Math.max(peak, after.peak).toFixed(1)} MiB`,
    );
    assert.ok(
      after.rss < before.rss + RSS_GROWTH_LIMIT_MIB,
      `RSS grew from ${before.rss.toFixed(1)} to ${after.rss.toFixed(1)} MiB`,
    );

    server.kill('SIGTERM');
    const code = await new Promise((resolve) => server.once('exit', (c, s) => resolve(c ?? s)));
    assert.equal(code, 0, 'the server stops cleanly on SIGTERM');
  });
});
