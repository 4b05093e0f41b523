'use strict';
// "catalog": a Fastify 4 service of test/real-apps (the classic SDK's Fastify plugin needs 4.x),
// traced by the classic SDK (REAL_APPS_SDK=classic: aws-xray-sdk-fastify) or by
// `node -r @xray-otel/register` (OpenTelemetry has no Fastify instrumentation in
// auto-instrumentations-node: the http server instrumentation makes the segment).
//   /items/:id  (called by shop's /chain)   /http (an untraced downstream)
//   /throw (a thrown error)                  /status/:code
// Prints `LISTENING <port>`.
const tracing = require('./tracing.cjs');
const calls = require('./calls.cjs');
const fastify = require('fastify')({ logger: false });

async function main() {
  if (tracing.fastifyPlugin) {
    await fastify.register(tracing.fastifyPlugin, { segmentName: 'catalog', logger: false });
  }
  fastify.get('/items/:id', async (request) => ({ id: request.params.id, name: 'teapot' }));
  fastify.get('/http', async () => ({ status: (await calls.httpGet('/warehouse')).status }));
  fastify.get('/throw', async () => {
    throw new Error('thrown in a Fastify handler');
  });
  fastify.get('/status/:code', async (request, reply) => {
    reply.code(Number(request.params.code));
    return { ok: false };
  });
  const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
  console.log(`LISTENING ${new URL(address).port}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
process.on('SIGTERM', () => {
  void fastify.close();
  setTimeout(() => process.exit(0), 500).unref();
});
