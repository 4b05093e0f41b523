import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as path from 'node:path';
import { main, packageVersion, type CliIo } from '../src/cli';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  let handler: (() => void) | undefined;
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onSignal: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
  };
  return { io, out, err, signal: () => handler?.(), hasHandler: () => handler !== undefined };
}

describe('cli', () => {
  it('prints help and version', async () => {
    const help = fakeIo();
    assert.equal(await main(['--help'], help.io), 0);
    assert.match(help.out[0], /^Usage: xray-local/);
    const version = fakeIo();
    assert.equal(await main(['-v'], version.io), 0);
    assert.deepEqual(version.out, [packageVersion()]);
    assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a clear message on bad flags and bad rules files', async () => {
    const bad = fakeIo();
    assert.equal(await main(['--udp-port', 'abc'], bad.io), 2);
    assert.match(bad.err[0], /^xray-local: --udp-port must be an integer/);
    const rules = fakeIo();
    assert.equal(
      await main(
        [
          '--udp-port',
          '0',
          '--tcp-port',
          '0',
          '--otlp-port',
          '0',
          '--ui-port',
          '0',
          '--sampling-rules',
          '/nonexistent.json',
        ],
        rules.io,
      ),
      2,
    );
    assert.match(rules.err[0], /cannot start: cannot read sampling rules file/);
  });

  it('runs the server until a signal, printing the bound addresses', async () => {
    const run = fakeIo();
    const exit = main(
      ['--udp-port', '0', '--tcp-port', '0', '--otlp-port', '0', '--ui-port', '0', '--quiet'],
      run.io,
    );
    const deadline = Date.now() + 5000;
    while (!run.hasHandler() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.match(
      run.out.join('\n'),
      /segments \(UDP\): +127\.0\.0\.1:\d+ +AWS_XRAY_DAEMON_ADDRESS=127\.0\.0\.1:\d+/,
    );
    assert.match(run.out.join('\n'), /web viewer: +http:\/\/127\.0\.0\.1:\d+\//);
    run.signal();
    assert.equal(await exit, 0);
  });

  it('uses the console and SIGINT/SIGTERM by default', async () => {
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      const exit = main([
        '--udp-port',
        '0',
        '--tcp-port',
        '0',
        '--otlp-port',
        '0',
        '--ui-port',
        '0',
        '--quiet',
      ]);
      const deadline = Date.now() + 5000;
      while (!lines.some((l) => /web viewer/.test(l)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const before = process.listenerCount('SIGTERM');
      process.emit('SIGINT');
      assert.equal(await exit, 0);
      assert.equal(process.listenerCount('SIGTERM'), before - 1);
    } finally {
      console.log = log;
    }
  });

  it('says which port is busy', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    try {
      const busy = fakeIo();
      assert.equal(
        await main(
          [
            '--udp-port',
            String(socket.address().port),
            '--tcp-port',
            '0',
            '--otlp-port',
            '0',
            '--ui-port',
            '0',
          ],
          busy.io,
        ),
        1,
      );
      assert.match(busy.err[0], /a port is already in use/);
    } finally {
      socket.close();
    }
  });

  it('delegates `demo --help` to the demo', async () => {
    const original = process.stdout.write;
    let written = '';
    process.stdout.write = ((chunk: string) => ((written += chunk), true)) as typeof process.stdout.write;
    try {
      assert.equal(await main(['demo', '--help'], fakeIo().io), 0);
    } finally {
      process.stdout.write = original;
    }
    assert.match(written, /xray-local demo/);
  });

  it('smoke: the built bin starts, receives a datagram and stops on SIGTERM', async function () {
    const bin = path.resolve(__dirname, '../build/cli.js');
    const child = spawn(
      process.execPath,
      [bin, '--udp-port', '0', '--tcp-port', '0', '--otlp-port', '0', '--ui-port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 10000;
      while (!/web viewer/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      assert.ok(port > 0, out);
      const ui = Number(/web viewer: +http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const client = dgram.createSocket('udp4');
      const doc = {
        name: 'smoke',
        id: '70de5b6f19ff9a0a',
        trace_id: '1-581cf771-a006649127e371903a2de979',
        start_time: 1,
        end_time: 2,
      };
      await new Promise<void>((r) =>
        client.send('{"format":"json","version":1}\n' + JSON.stringify(doc), port, '127.0.0.1', () => r()),
      );
      client.close();
      let accepted = 0;
      while (accepted === 0 && Date.now() < deadline) {
        accepted = ((await (await fetch(`http://127.0.0.1:${ui}/api/stats`)).json()) as { accepted: number })
          .accepted;
        if (accepted === 0) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(accepted, 1);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.match(out, /stopped; 1 datagrams, 1 accepted/);
  });
});
