// The backing services the real apps call, started by the test on free 127.0.0.1 ports and stopped
// by it: moto_server (the AWS APIs), a throwaway PostgreSQL cluster (initdb in a temporary folder),
// redis-server, an untraced HTTP service and the same over HTTPS with a self-signed certificate
// made at test time. Each `missing*` function says why a prerequisite is not there (for
// test/helpers/prerequisites: skipped locally, a failure under CI). Every wait is bounded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sleep } from '../helpers/processes';

/** A free TCP port on 127.0.0.1 (bound, read, released; the service binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after `timeoutMs`. */
async function waitForPort(port: number, what: string, timeoutMs: number, child?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (open) return;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}`);
    }
    if (Date.now() > deadline) throw new Error(`${what} not listening on ${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A started child with its output kept (for failure messages) and a bounded stop. */
interface Daemon {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function spawnDaemon(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Daemon {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

// --- moto -------------------------------------------------------------------------------------

/** How to run moto's server: `moto_server`, or `python3 -m moto.server` when only the module is there. */
function motoCommand(): { command: string; args: string[] } | undefined {
  const script = onPath('moto_server');
  if (script) {
    try {
      execFileSync(script, ['--help'], { stdio: 'pipe', timeout: 30000 });
      return { command: script, args: [] };
    } catch {
      // A pyenv shim left by an uninstalled version, say: try the module below.
    }
  }
  try {
    execFileSync('python3', ['-c', 'import moto.server, flask, flask_cors'], {
      stdio: 'pipe',
      timeout: 30000,
    });
    return { command: 'python3', args: ['-m', 'moto.server'] };
  } catch {
    return undefined;
  }
}

export function missingMoto(): string | undefined {
  return motoCommand()
    ? undefined
    : "moto_server is not available (install with: python3 -m pip install 'moto[server]')";
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const how = motoCommand();
  if (!how) throw new Error(missingMoto());
  const port = await freePort();
  const daemon = spawnDaemon(how.command, [...how.args, '-H', '127.0.0.1', '-p', String(port)]);
  try {
    await waitForPort(port, 'moto_server', 30000, daemon.child);
  } catch (error) {
    await daemon.stop();
    throw new Error(`${(error as Error).message}\n${daemon.output()}`);
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => daemon.stop() };
}

// --- PostgreSQL -------------------------------------------------------------------------------

/** The folder of initdb / pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin. */
function postgresBin(): string | undefined {
  // Through symlinks: Debian keeps initdb, pg_ctl and createdb together in /usr/lib/postgresql/<v>/bin.
  const initdb = onPath('initdb');
  const dir = initdb && path.dirname(realpathSync(initdb));
  if (dir && ['pg_ctl', 'createdb'].every((tool) => existsSync(path.join(dir, tool)))) return dir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => ['initdb', 'pg_ctl', 'createdb'].every((t) => existsSync(path.join(root, v, 'bin', t))))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

/**
 * PostgreSQL refuses to run as root. As root (CI, this machine) the cluster belongs to the
 * `postgres` system user that Debian's package creates, and the commands run through `runuser`;
 * as anyone else, as that user.
 */
function postgresUser(): { uid: number; gid: number; prefix: string[] } | undefined {
  if (process.getuid?.() !== 0) return { uid: process.getuid!(), gid: process.getgid!(), prefix: [] };
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (!onPath('runuser')) return undefined;
    return { uid, gid, prefix: ['runuser', '-u', 'postgres', '--'] };
  } catch {
    return undefined;
  }
}

export function missingPostgres(): string | undefined {
  if (!postgresBin()) return 'PostgreSQL is not installed (apt-get install postgresql: initdb, pg_ctl)';
  if (!postgresUser()) return 'running as root without a postgres user and runuser to run PostgreSQL as';
  return undefined;
}

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway cluster: initdb in a temporary folder (trust auth on 127.0.0.1), started with pg_ctl. */
export async function startPostgres(database = 'shop', user = 'realapps'): Promise<Postgres> {
  const bin = postgresBin();
  const owner = postgresUser();
  if (!bin || !owner) throw new Error(missingPostgres());
  const dir = mkdtempSync(path.join(tmpdir(), 'xray-otel-pg-'));
  chmodSync(dir, 0o700);
  chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const run = (tool: string, args: string[], timeout: number) => {
    const [command, ...prefixArgs] = [...owner.prefix, path.join(bin, tool)];
    return execFileSync(command, [...prefixArgs, ...args], { stdio: 'pipe', timeout, cwd: dir });
  };
  const port = await freePort();
  const stop = async () => {
    try {
      run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '10'], 15000);
    } catch {
      // Not running (it failed to start): nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // --no-sync: a test cluster need not survive a power cut; initdb is ~3x faster without fsync.
    run('initdb', ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], 60000);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', path.join(dir, 'log'), '-o', options], 40000);
    run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], 20000);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    await stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { url: `postgres://${user}@127.0.0.1:${port}/${database}`, stop };
}

// --- Redis ------------------------------------------------------------------------------------

function redisServer(): string | undefined {
  return (
    onPath('redis-server') ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined)
  );
}

export function missingRedis(): string | undefined {
  return redisServer() ? undefined : 'redis-server is not installed (apt-get install redis-server)';
}

export interface Redis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<Redis> {
  const server = redisServer();
  if (!server) throw new Error(missingRedis());
  const port = await freePort();
  // In memory only, no config file: nothing is written outside the test.
  const daemon = spawnDaemon(server, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
  ]);
  try {
    await waitForPort(port, 'redis-server', 15000, daemon.child);
  } catch (error) {
    await daemon.stop();
    throw new Error(`${(error as Error).message}\n${daemon.output()}`);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => daemon.stop() };
}

// --- untraced HTTP and HTTPS services ---------------------------------------------------------

export interface Downstreams {
  httpUrl: string;
  httpsUrl: string;
  /** PEM file of the self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  close(): Promise<void>;
}

/**
 * A self-signed certificate for 127.0.0.1, made with openssl (node's crypto makes keys but not
 * certificates). Returns the PEM key and certificate.
 */
function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-key',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe', timeout: 15000 },
  );
  const cert = readFileSync(certFile, 'utf8');
  new X509Certificate(cert); // fails here, not in the apps, if openssl wrote something odd
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert };
}

export function missingOpenssl(): string | undefined {
  return onPath('openssl') ? undefined : 'openssl is not installed (apt-get install openssl)';
}

export async function startDownstreams(): Promise<Downstreams> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xray-otel-tls-'));
  const { key, cert } = selfSignedCertificate(dir);
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, downstream: true }));
  };
  const plain = http.createServer(answer);
  const secure = https.createServer({ key, cert }, answer);
  const listen = (server: net.Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
  const [httpPort, httpsPort] = await Promise.all([listen(plain), listen(secure)]);
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    caFile: path.join(dir, 'cert.pem'),
    async close() {
      await Promise.all([close(plain), close(secure)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
