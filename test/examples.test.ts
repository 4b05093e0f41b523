// examples/**: every deployment example parses and is wired as the READMEs say (ports, env names
// documented by @xray-otel/register, collector pipelines, images, the preload), and the Lambda
// handler runs: its invocation's spans arrive as OTLP/UDP (T1S) datagrams under the trace header.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { decodeOtlpProtobuf, parseDatagram } from '@xray-otel/local';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAML = require('yaml') as { parseAllDocuments(text: string): { toJS(): unknown; errors: unknown[] }[] };

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');

type Json = Record<string, unknown>;
type EnvVar = { name: string; value?: string; valueFrom?: unknown };
type Port = { containerPort: number; protocol?: string; hostPort?: number };

function readJson(file: string): Json {
  return JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as Json;
}

function readYaml(file: string): Json[] {
  const documents = YAML.parseAllDocuments(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  for (const document of documents) assert.deepEqual(document.errors, [], `${file}: YAML errors`);
  return documents.map((document) => document.toJS() as Json).filter((document) => document !== null);
}

function byKind(documents: Json[], kind: string): Json[] {
  return documents.filter((document) => document.kind === kind);
}

/** The OTEL_* / AWS_* variable names in register's README tables (backticked, first column). */
function documentedVariables(): Set<string> {
  const readme = readFileSync(path.join(ROOT, 'packages/register/README.md'), 'utf8');
  const names = new Set<string>();
  for (const line of readme.split('\n')) {
    if (!line.startsWith('|')) continue;
    for (const match of line.matchAll(/`((?:OTEL|AWS)_[A-Z0-9_]+)`/g)) names.add(match[1]);
  }
  return names;
}

function envOf(container: Json): Map<string, EnvVar> {
  const list = ((container.environment ?? container.env ?? []) as EnvVar[]).map((v) => [v.name, v] as const);
  return new Map(list);
}

function checkDocumentedNames(env: Map<string, EnvVar>, where: string): void {
  const documented = documentedVariables();
  for (const name of env.keys()) {
    if (name.startsWith('OTEL_') || name === 'AWS_XRAY_DAEMON_ADDRESS')
      assert.ok(documented.has(name), `${where}: ${name} is not in packages/register/README.md`);
  }
}

function checkPreload(env: Map<string, EnvVar>, where: string): void {
  assert.match(env.get('NODE_OPTIONS')?.value ?? '', /(^|\s)--require @xray-otel\/register(\s|$)/, where);
  assert.ok(env.get('OTEL_SERVICE_NAME')?.value, `${where}: OTEL_SERVICE_NAME`);
}

function hasPort(ports: Port[], port: number, protocol: string): boolean {
  return ports.some((p) => p.containerPort === port && (p.protocol ?? 'tcp').toLowerCase() === protocol);
}

function containers(taskDefinition: Json): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const container of taskDefinition.containerDefinitions as Json[])
    result[container.name as string] = container;
  return result;
}

describe('examples', () => {
  it('every example file is covered by this test', () => {
    const files = (dir: string): string[] =>
      readdirSync(path.join(EXAMPLES, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
      );
    assert.deepEqual(files('').sort(), [
      'README.md',
      'ecs/task-definition-adot.json',
      'ecs/task-definition-daemon-bridge.json',
      'ecs/task-definition-daemon.json',
      'eks/adot-collector-daemonset.yaml',
      'eks/app-deployment.yaml',
      'eks/xray-daemon-daemonset.yaml',
      'lambda/README.md',
      'lambda/handler.js',
      'lambda/package.json',
      'lambda/template.yaml',
    ]);
  });

  describe('ECS', () => {
    it('daemon sidecar, awsvpc: app sends to 127.0.0.1:2000, daemon on UDP and TCP 2000', () => {
      const task = readJson('ecs/task-definition-daemon.json');
      assert.equal(task.networkMode, 'awsvpc');
      assert.match(task.taskRoleArn as string, /^arn:aws:iam::\d{12}:role\//);
      const { app, 'xray-daemon': daemon } = containers(task);
      assert.match(daemon.image as string, /^amazon\/aws-xray-daemon(:|$)/);
      assert.ok(hasPort(daemon.portMappings as Port[], 2000, 'udp'));
      assert.ok(hasPort(daemon.portMappings as Port[], 2000, 'tcp'));
      assert.deepEqual(daemon.command, ['--bind', '0.0.0.0:2000', '--bind-tcp', '0.0.0.0:2000']);
      assert.ok(envOf(daemon).has('AWS_XRAY_DAEMON_ADDRESS'));
      const env = envOf(app);
      checkPreload(env, 'app');
      // awsvpc: the containers of a task share one network namespace.
      assert.equal(env.get('AWS_XRAY_DAEMON_ADDRESS')?.value, '127.0.0.1:2000');
      assert.equal(app.links, undefined, 'links are not allowed with awsvpc');
      checkDocumentedNames(env, 'ecs daemon app');
    });

    it('daemon sidecar, bridge: app linked to xray-daemon:2000', () => {
      const task = readJson('ecs/task-definition-daemon-bridge.json');
      assert.equal(task.networkMode, 'bridge');
      const { app, 'xray-daemon': daemon } = containers(task);
      assert.match(daemon.image as string, /^amazon\/aws-xray-daemon(:|$)/);
      assert.ok(hasPort(daemon.portMappings as Port[], 2000, 'udp'));
      assert.ok(hasPort(daemon.portMappings as Port[], 2000, 'tcp'));
      assert.deepEqual(app.links, ['xray-daemon']);
      const env = envOf(app);
      checkPreload(env, 'app');
      assert.equal(env.get('AWS_XRAY_DAEMON_ADDRESS')?.value, 'xray-daemon:2000');
      assert.ok(envOf(daemon).has('AWS_XRAY_DAEMON_ADDRESS'));
      checkDocumentedNames(env, 'ecs bridge app');
    });

    it('ADOT collector sidecar: app exports OTLP to localhost:4318', () => {
      const task = readJson('ecs/task-definition-adot.json');
      assert.equal(task.networkMode, 'awsvpc');
      const { app, 'aws-otel-collector': collector } = containers(task);
      assert.match(
        collector.image as string,
        /^public\.ecr\.aws\/aws-observability\/aws-otel-collector(:|$)/,
      );
      assert.deepEqual(collector.command, ['--config=/etc/ecs/ecs-default-config.yaml']);
      assert.ok(hasPort(collector.portMappings as Port[], 4317, 'tcp'));
      assert.ok(hasPort(collector.portMappings as Port[], 4318, 'tcp'));
      const env = envOf(app);
      checkPreload(env, 'app');
      assert.equal(env.get('OTEL_TRACES_EXPORTER')?.value, 'otlp');
      assert.equal(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value, 'http://localhost:4318');
      assert.equal(env.get('OTEL_EXPORTER_OTLP_PROTOCOL')?.value, 'http/protobuf');
      checkDocumentedNames(env, 'ecs adot app');
    });
  });

  describe('EKS', () => {
    it('X-Ray daemon DaemonSet: hostPort 2000 UDP and TCP, and a Service on both', () => {
      const documents = readYaml('eks/xray-daemon-daemonset.yaml');
      const [daemonSet] = byKind(documents, 'DaemonSet');
      const spec = (daemonSet.spec as Json).template as Json;
      const [container] = (spec.spec as Json).containers as Json[];
      assert.match(container.image as string, /^amazon\/aws-xray-daemon(:|$)/);
      const ports = container.ports as Port[];
      for (const protocol of ['udp', 'tcp']) {
        assert.ok(hasPort(ports, 2000, protocol), protocol);
        assert.ok(
          ports.some((p) => p.hostPort === 2000 && p.protocol?.toLowerCase() === protocol),
          `hostPort ${protocol}`,
        );
      }
      const [service] = byKind(documents, 'Service');
      const servicePorts = (service.spec as Json).ports as { port: number; protocol: string }[];
      assert.deepEqual(servicePorts.map((p) => `${p.port}/${p.protocol}`).sort(), ['2000/TCP', '2000/UDP']);
      assert.deepEqual(
        (service.spec as Json).selector,
        (daemonSet.spec as Json & { selector: Json }).selector.matchLabels,
      );
    });

    it('ADOT collector: otlp 4317/4318 → batch → awsxray with indexed_attributes; config mounted', () => {
      const documents = readYaml('eks/adot-collector-daemonset.yaml');
      const [configMap] = byKind(documents, 'ConfigMap');
      const [configText] = Object.values(configMap.data as Record<string, string>);
      const [config] = YAML.parseAllDocuments(configText).map((d) => d.toJS() as Json);
      const receivers = config.receivers as Json;
      const processors = config.processors as Json;
      const exporters = config.exporters as Json;
      const protocols = (receivers.otlp as Json).protocols as Record<string, { endpoint: string }>;
      assert.match(protocols.grpc.endpoint, /:4317$/);
      assert.match(protocols.http.endpoint, /:4318$/);
      const traces = ((config.service as Json).pipelines as Json).traces as Record<string, string[]>;
      for (const name of traces.receivers) assert.ok(name in receivers, `receiver ${name}`);
      for (const name of traces.processors) assert.ok(name in processors, `processor ${name}`);
      for (const name of traces.exporters) assert.ok(name in exporters, `exporter ${name}`);
      assert.ok(traces.processors.includes('batch'));
      assert.ok(traces.exporters.includes('awsxray'));
      const indexed = (exporters.awsxray as Json).indexed_attributes as string[];
      assert.ok(Array.isArray(indexed) && indexed.length > 0);
      // The same list as the app's OTEL_AWS_XRAY_INDEXED_ATTRIBUTES (app-deployment.yaml).
      const app = readYaml('eks/app-deployment.yaml')[0];
      const appEnv = envOf(
        (((app.spec as Json).template as Json).spec as Json & { containers: Json[] }).containers[0],
      );
      assert.deepEqual(appEnv.get('OTEL_AWS_XRAY_INDEXED_ATTRIBUTES')?.value?.split(','), indexed);

      const [daemonSet] = byKind(documents, 'DaemonSet');
      const podSpec = ((daemonSet.spec as Json).template as Json).spec as Json;
      const [container] = podSpec.containers as Json[];
      assert.match(
        container.image as string,
        /^public\.ecr\.aws\/aws-observability\/aws-otel-collector(:|$)/,
      );
      assert.ok(hasPort(container.ports as Port[], 4317, 'tcp'));
      assert.ok(hasPort(container.ports as Port[], 4318, 'tcp'));
      const configArg = (container.args as string[]).find((arg) => arg.startsWith('--config='));
      const mount = (container.volumeMounts as { name: string; mountPath: string }[])[0];
      const volume = (podSpec.volumes as { name: string; configMap: { name: string } }[]).find(
        (v) => v.name === mount.name,
      );
      assert.equal(volume?.configMap.name, (configMap.metadata as Json).name);
      assert.equal(configArg, `--config=${mount.mountPath}/${Object.keys(configMap.data as Json)[0]}`);
    });

    it('app Deployment: the preload, the daemon on the node (status.hostIP), OTLP variant commented', () => {
      const text = readFileSync(path.join(EXAMPLES, 'eks/app-deployment.yaml'), 'utf8');
      const [deployment] = byKind(readYaml('eks/app-deployment.yaml'), 'Deployment');
      const [container] = (((deployment.spec as Json).template as Json).spec as Json).containers as Json[];
      const env = envOf(container);
      checkPreload(env, 'deployment');
      assert.deepEqual(env.get('HOST_IP')?.valueFrom, { fieldRef: { fieldPath: 'status.hostIP' } });
      assert.equal(env.get('AWS_XRAY_DAEMON_ADDRESS')?.value, '$(HOST_IP):2000');
      // Kubernetes expands $(HOST_IP) only from variables defined before.
      const names = [...env.keys()];
      assert.ok(names.indexOf('HOST_IP') < names.indexOf('AWS_XRAY_DAEMON_ADDRESS'));
      checkDocumentedNames(env, 'deployment');
      assert.match(text, /#\s+value: xray-service\.observability:2000/);
      assert.match(text, /#\s+- name: OTEL_TRACES_EXPORTER\n\s+#\s+value: otlp/);
      assert.match(text, /#\s+value: http:\/\/\$\(HOST_IP\):4318/);
    });
  });

  describe('Lambda', () => {
    it('template: Active tracing, the preload, documented variables', () => {
      const [template] = readYaml('lambda/template.yaml');
      const globals = (template.Globals as Json).Function as Json;
      assert.equal(globals.Tracing, 'Active');
      const fn = (template.Resources as Json).CheckoutFunction as Json;
      const props = fn.Properties as Json;
      assert.equal(props.Handler, 'handler.handler');
      const variables = (props.Environment as Json).Variables as Record<string, string>;
      const env = new Map(Object.entries(variables).map(([name, value]) => [name, { name, value }]));
      checkPreload(env, 'template');
      assert.equal(variables.OTEL_PROPAGATORS.split(',')[0], 'xray-lambda');
      checkDocumentedNames(env, 'template');
    });

    it('handler: the invocation spans arrive as T1S datagrams under _X_AMZN_TRACE_ID, flushed before it returns', async function () {
      this.timeout(60000);
      const socket = dgram.createSocket('udp4');
      const datagrams: Buffer[] = [];
      socket.on('message', (message) => datagrams.push(message));
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const port = socket.address().port;
      const traceId = `${Math.floor(Date.now() / 1000).toString(16)}${'a1b2c3d4e5f6a7b8c9d0e1f2'}`;
      const parentId = '53995c3f42cd8ad8';
      const header = `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${parentId};Sampled=1`;

      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env))
        if (!/^(OTEL_|AWS_|_X_AMZN|NODE_OPTIONS|LAMBDA_)/.test(name)) env[name] = value;
      Object.assign(env, {
        NODE_OPTIONS: '--require @xray-otel/register',
        AWS_LAMBDA_FUNCTION_NAME: 'checkout-fn',
        AWS_REGION: 'us-east-1',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
        _X_AMZN_TRACE_ID: header,
        OTEL_SERVICE_NAME: 'checkout-fn',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http',
        // A batch that would wait 10 minutes: only the handler's flush can send in time.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      // Calls the handler once, prints the result, then stays alive: what was received by then was
      // sent by the flush in flushAfterInvocation, not by a shutdown at exit.
      const driver = `
        const { handler } = require(${JSON.stringify(path.join(EXAMPLES, 'lambda/handler.js'))});
        const context = { awsRequestId: 'req-1', functionName: 'checkout-fn' };
        handler({ orderId: 'o-42' }, context).then(
          (result) => { process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n'); setTimeout(() => {}, 60000); },
          (error) => { process.stdout.write('ERROR ' + error.stack + '\\n'); process.exit(1); });`;
      const child = spawn(process.execPath, ['-e', driver], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no result; stderr: ${stderr}`)), 50000);
          child.stdout.on('data', () => {
            if (stdout.includes('\n')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`handler process exited ${code}: ${stdout}${stderr}`));
          });
        });
        assert.match(stdout, /^RESULT \{"statusCode":200,/);
        // Loopback delivery is immediate; allow the event loop a moment.
        for (let i = 0; i < 50 && datagrams.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(datagrams.length > 0, `no datagram received; stderr: ${stderr}`);
        const spans = datagrams.flatMap((datagram) => {
          const parsed = parseDatagram(datagram);
          assert.ok(parsed.ok, JSON.stringify(parsed));
          assert.equal(parsed.body.kind, 'otlp', 'an OTLP/UDP datagram');
          assert.ok(parsed.body.kind === 'otlp' && parsed.body.sampled, 'T1S');
          assert.equal(
            datagram.toString('utf8', 0, datagram.indexOf(10) + 4),
            '{"format":"json","version":1}\nT1S',
          );
          const decoded = parsed.body.kind === 'otlp' ? decodeOtlpProtobuf(parsed.body.payload) : undefined;
          assert.ok(decoded?.ok);
          return decoded.spans;
        });
        const byName = new Map(spans.map((span) => [span.name, span]));
        // The invocation span flushAfterInvocation starts, named after the function.
        const server = byName.get('checkout-fn');
        const child2 = byName.get('load-order');
        assert.ok(server && child2, `spans: ${[...byName.keys()].join(', ')}`);
        assert.equal(server.spanContext().traceId, traceId);
        assert.equal(server.parentSpanContext?.spanId, parentId);
        assert.equal(server.kind, 1, 'SERVER');
        assert.equal(server.attributes['faas.invocation_id'], 'req-1');
        assert.equal(server.attributes['order.id'], 'o-42');
        assert.equal(child2.spanContext().traceId, traceId);
        assert.equal(child2.parentSpanContext?.spanId, server.spanContext().spanId);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        socket.close();
      }
    });
  });
});
