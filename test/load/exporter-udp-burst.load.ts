// Memory of the daemon path under a burst: 10,000 SERVER spans exported through
// AWSXRayUdpSpanExporter to a UDP daemon stand-in, in batches of 512 as the BatchSpanProcessor
// hands them over. Behaviour (every document accounted for) is checked in test/e2e-faults.test.ts;
// this file checks only the memory bound, so it runs in `npm run test:load`, not `npm test`.
//
// Threshold (also in the README's command table): the heap grows by less than 50 MB, measured after
// a full GC before and after the burst (the spans, their documents and the pending queue are gone).
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AWSXRayUdpSpanExporter } from '../../packages/exporter-udp/src';
import { startDaemon, type DaemonListener } from '../helpers/daemon';
import { makeServerSpans } from '../helpers/spans';

const SPANS = 10_000;
const BATCH = 512;
/** Heap growth after GC, in MB. */
const HEAP_GROWTH_LIMIT_MB = 50;

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe(`exporter-udp: ${SPANS} spans in a burst`, function () {
  let daemon: DaemonListener;
  before(async () => {
    daemon = await startDaemon();
  });
  after(() => daemon?.close());

  it(`heap growth after GC stays under ${HEAP_GROWTH_LIMIT_MB} MB`, async () => {
    const gc = gcFunction();
    const exporter = new AWSXRayUdpSpanExporter({ daemonAddress: daemon.address });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let spans: ReadableSpan[] | undefined = makeServerSpans(SPANS, { 'app.note': 'burst' });
    for (let i = 0; i < spans.length; i += BATCH) {
      const batch = spans.slice(i, i + BATCH);
      await new Promise<void>((resolve) => exporter.export(batch, () => resolve()));
    }
    await exporter.forceFlush();
    spans = undefined;
    const counters = exporter.counters;
    assert.equal(counters.documents, SPANS);
    assert.equal(counters.pending, 0);
    daemon.clear();
    gc();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    console.log(
      `      ${counters.documentsSent} documents sent; heap growth after GC ${growthMb.toFixed(1)} MB ` +
        `(limit ${HEAP_GROWTH_LIMIT_MB} MB)`,
    );
    assert.ok(growthMb < HEAP_GROWTH_LIMIT_MB, `heap growth ${growthMb.toFixed(1)} MB`);
    await exporter.shutdown();
  });
});
