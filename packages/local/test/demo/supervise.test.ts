import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DEMO_DIR } from '../../src/demo/services';
import { isListeningMessage, startNodeService } from '../../src/demo/supervise';
import { requestStatus } from '../../src/demo/run';

/** A child that says over IPC, after `delayMs`, that it listens on `port`, then idles. */
const listensAfter = (port: number, delayMs: number, before = '') =>
  `${before} setTimeout(() => process.send({ event: 'listening', port: ${port} }), ${delayMs}); ` +
  'setInterval(() => {}, 1000);';

describe('demo: supervise', function () {
  this.timeout(20000);

  it('reads only a well-formed listening message', () => {
    assert.ok(isListeningMessage({ event: 'listening', port: 4321 }));
    for (const message of [
      null,
      'LISTENING 4321',
      { event: 'ready', port: 1 },
      { event: 'listening' },
      { event: 'listening', port: 0 },
      { event: 'listening', port: 70000 },
      { event: 'listening', port: '4321' },
    ])
      assert.equal(isListeningMessage(message), false, JSON.stringify(message));
  });

  it('waits for the listening message over IPC (not stdout), then stops the service with SIGTERM', async () => {
    const service = await startNodeService({
      name: 'fake',
      // A stdout line like the old protocol's and a stray message must not count as ready.
      args: ['-e', listensAfter(4321, 50, 'console.log("LISTENING 1"); process.send({ event: "other" });')],
      env: process.env,
      timeoutMs: 10000,
    });
    assert.equal(service.url, 'http://127.0.0.1:4321');
    await service.stop();
    await service.stop();
    service.kill();
  });

  it('reports a service that exits before listening (with its stderr), or does not listen in time', async () => {
    await assert.rejects(
      startNodeService({
        name: 'broken',
        args: ['-e', 'console.error("no luck"); process.exit(3)'],
        env: process.env,
        timeoutMs: 10000,
      }),
      /broken exited \(3\) before listening:\nno luck/,
    );
    await assert.rejects(
      startNodeService({
        name: 'slow',
        args: ['-e', 'setInterval(() => {}, 1000)'],
        env: process.env,
        timeoutMs: 200,
      }),
      /slow not listening after 200 ms/,
    );
  });

  it('kill() stops a running service at once, even one that ignores SIGTERM', async () => {
    const service = await startNodeService({
      name: 'victim',
      args: ['-e', listensAfter(1, 0, 'process.on("SIGTERM", () => {});')],
      env: process.env,
      timeoutMs: 10000,
    });
    service.kill();
    await service.stop();
  });

  it('a demo service never outlives the demo, even one killed with SIGKILL', async () => {
    // A stand-in for the demo process: it starts the real payments service and prints its URL.
    const supervisor = path.resolve(__dirname, '..', '..', 'src', 'demo', 'supervise.ts');
    const code = `
      const { startNodeService } = require(${JSON.stringify(supervisor)});
      startNodeService({
        name: 'payments',
        args: [${JSON.stringify(path.join(DEMO_DIR, 'payments.cjs'))}],
        env: process.env,
        timeoutMs: 15000,
      }).then((s) => console.log('URL ' + s.url), (e) => { console.error(e.message); process.exit(1); });
      setInterval(() => {}, 1000);`;
    const demo = spawn(process.execPath, ['-r', 'ts-node/register', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    demo.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      demo.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /URL (\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      demo.once('exit', (exitCode) => reject(new Error(`the stand-in demo exited (${exitCode})`)));
    });
    assert.equal(await requestStatus(`${url}/pay?outcome=200`), 200);
    demo.kill('SIGKILL');
    // The service exits when its IPC channel closes: its port stops answering (bounded wait).
    let status = 200;
    for (let i = 0; i < 100 && status !== 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await requestStatus(`${url}/pay?outcome=200`, 1000);
    }
    assert.equal(status, 0, 'payments still answers after the demo died');
  });
});
