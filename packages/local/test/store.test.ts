/** TraceStore: assembly in any arrival order, in-progress replacement, bounds, save/load, summaries. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { FilterSyntaxError } from '../src/filter';
import { assembleSegments, summarize, TraceStore } from '../src/store';
import type { SegmentDocument } from '../src/types';
import { T1, threeServiceTrace } from './trace-fixtures';

const wire = path.join(path.resolve(__dirname, '../../../../shared'), 'fixtures', 'wire', 'node');
function wireDoc(name: string): SegmentDocument {
  return (JSON.parse(fs.readFileSync(path.join(wire, name), 'utf8')) as { document: SegmentDocument })
    .document;
}

function byId(docs: SegmentDocument[]): SegmentDocument[] {
  return [...docs].sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

describe('TraceStore assembly', () => {
  it('nests independent subsegments under their parent, segments stay top-level, whatever the order', () => {
    const { docs, inProgress } = threeServiceTrace();
    const reference = new TraceStore();
    for (const doc of docs) reference.add(doc);
    const expected = reference.getTrace(T1);
    assert.ok(expected);
    assert.deepEqual(
      expected.segments.map((s) => s.name),
      ['frontend', 'orders', 'inventory'],
    );
    const orders = expected.segments[1];
    const subs = orders.subsegments as SegmentDocument[];
    assert.deepEqual(
      subs.map((s) => s.name),
      ['DynamoDB', 'inventory'],
    );
    assert.deepEqual(
      (subs[1].subsegments as SegmentDocument[]).map((s) => s.id),
      ['e000000000000004'],
    );
    assert.equal(expected.documents.length, 6);
    // The stored documents are not modified by the assembly.
    assert.equal(docs[1].subsegments, undefined);

    fc.assert(
      fc.property(
        fc.shuffledSubarray([...docs, inProgress], { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 1 }),
        (order, dup) => {
          const store = new TraceStore();
          for (const doc of order) store.add(doc);
          if (dup === 1) store.add(order[0]);
          const trace = store.getTrace(T1);
          assert.ok(trace);
          assert.deepEqual(trace.segments, expected.segments);
          assert.deepEqual(trace.summary, expected.summary);
          assert.deepEqual(byId(trace.documents), byId(expected.documents));
          assert.equal(store.documentCount, 6);
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });

  it('an orphan subsegment stays top-level until its parent arrives', () => {
    const { docs } = threeServiceTrace();
    const store = new TraceStore();
    store.add(docs[4]); // serialize, parent = inventory call (not yet here)
    assert.deepEqual(
      store.getTrace(T1)?.segments.map((s) => s.id),
      ['e000000000000004'],
    );
    store.add(docs[3]); // inventory call, parent = orders (not yet here)
    assert.deepEqual(
      store.getTrace(T1)?.segments.map((s) => s.id),
      ['5000000000000003'],
    );
    store.add(docs[1]);
    const segments = store.getTrace(T1)?.segments ?? [];
    assert.deepEqual(
      segments.map((s) => s.id),
      ['0000000000000002'],
    );
  });

  it('real Node streaming (node-04): children attach to the segment and to a nested subsegment', () => {
    const store = new TraceStore();
    const docs = [1, 2, 3, 4].map((n) => wireDoc(`node-04-streaming-udp-0${n}.json`));
    for (const doc of docs) store.add(doc);
    const trace = store.getTrace(String(docs[0].trace_id));
    assert.ok(trace);
    assert.equal(trace.segments.length, 1);
    const subs = trace.segments[0].subsegments as SegmentDocument[];
    assert.deepEqual(
      subs.map((s) => s.name),
      ['A', 'B', 'C'],
    );
    assert.deepEqual(
      (subs[1].subsegments as SegmentDocument[]).map((s) => s.name),
      ['B-child-1', 'B-child-2'],
    );
    assert.equal(trace.summary.documents, 4);
    assert.deepEqual(trace.summary.annotations, { which: 'A' });
  });

  it('real Node in-progress documents (node-11) are replaced by the completed ones', () => {
    const docs = [1, 2, 3, 4].map((n) => wireDoc(`node-11-in-progress-udp-0${n}.json`));
    const store = new TraceStore();
    store.add(docs[0]);
    store.add(docs[1]);
    const id = String(docs[0].trace_id);
    let trace = store.getTrace(id);
    assert.equal(trace?.summary.responseTime, undefined);
    assert.equal(trace?.segments[0].in_progress, true);
    assert.equal(store.listTraces('partial').length, 1);
    store.add(docs[2]);
    store.add(docs[3]);
    trace = store.getTrace(id);
    assert.ok(trace);
    assert.equal(store.documentCount, 2);
    assert.equal(trace.documents.length, 2);
    assert.equal(trace.segments[0].in_progress, undefined);
    assert.equal((trace.segments[0].subsegments as SegmentDocument[])[0].end_time, 1795345318.202);
    assert.equal(trace.summary.responseTime, 0.208);
    assert.equal(store.listTraces('partial').length, 0);
    // A late in-progress snapshot does not undo the completed document.
    store.add(docs[0]);
    assert.equal(store.getTrace(id)?.segments[0].end_time, 1795345318.202);
  });

  it('an independent subsegment duplicating an embedded one replaces it (unless it is an older snapshot)', () => {
    const seg: SegmentDocument = {
      trace_id: T1,
      id: 'aaaaaaaaaaaaaaaa',
      name: 's',
      start_time: 1,
      end_time: 2,
      subsegments: [{ id: 'bbbbbbbbbbbbbbbb', name: 'x', start_time: 1.1, end_time: 1.2 }],
    };
    const sub: SegmentDocument = {
      trace_id: T1,
      type: 'subsegment',
      parent_id: 'aaaaaaaaaaaaaaaa',
      id: 'bbbbbbbbbbbbbbbb',
      name: 'x',
      start_time: 1.1,
      in_progress: true,
    };
    let segments = assembleSegments([seg, sub]);
    assert.equal((segments[0].subsegments as SegmentDocument[]).length, 1);
    assert.equal((segments[0].subsegments as SegmentDocument[])[0].end_time, 1.2);
    segments = assembleSegments([seg, { ...sub, in_progress: undefined, end_time: 1.3 }]);
    assert.equal((segments[0].subsegments as SegmentDocument[])[0].end_time, 1.3);
  });

  it('parent cycles between independent subsegments do not loop', () => {
    const a = {
      trace_id: T1,
      type: 'subsegment',
      id: 'a',
      parent_id: 'b',
      name: 'a',
      start_time: 1,
      end_time: 2,
    };
    const b = {
      trace_id: T1,
      type: 'subsegment',
      id: 'b',
      parent_id: 'a',
      name: 'b',
      start_time: 1,
      end_time: 2,
    };
    const self = {
      trace_id: T1,
      type: 'subsegment',
      id: 'c',
      parent_id: 'c',
      name: 'c',
      start_time: 3,
      end_time: 4,
    };
    const segments = assembleSegments([a, b, self]);
    assert.equal(JSON.stringify(segments).length > 0, true);
    assert.deepEqual(
      segments.map((s) => s.id),
      ['b', 'c'],
    );
  });
});

describe('TraceStore summaries and listing', () => {
  it('summarises from the root segment; flags from any document; annotations merged', () => {
    const { docs } = threeServiceTrace();
    const summary = summarize(T1, docs);
    assert.deepEqual(summary, {
      id: T1,
      startTime: 100,
      duration: 0.5,
      responseTime: 0.5,
      name: 'frontend',
      http: { method: 'GET', url: 'https://shop.example.com/checkout', status: 200 },
      fault: true,
      error: true,
      throttle: true,
      documents: 6,
      services: ['frontend', 'orders', 'inventory'],
      annotations: { customer: 'gold', tier: 1, order_id: 'o-17', bytes: 512 },
    });
  });

  it('without a parentless segment the earliest segment is the root; empty traces summarise to zeros', () => {
    const { docs } = threeServiceTrace();
    const summary = summarize(T1, [docs[5], docs[1]]);
    assert.equal(summary.name, 'orders');
    assert.equal(summary.responseTime, 0.27);
    const empty = summarize(T1, []);
    assert.equal(empty.startTime, 0);
    assert.equal(empty.duration, 0);
    assert.equal(empty.name, '');
    assert.equal(empty.http, undefined);
  });

  it('lists newest first, honours limit (max 1000), filters, and rejects a bad filter', () => {
    const store = new TraceStore();
    for (let i = 0; i < 5; i++) {
      store.add({
        trace_id: `1-0000000${i}-x`,
        id: `id${i}`,
        name: `svc${i}`,
        start_time: 10 + i,
        end_time: 11 + i,
      });
    }
    assert.deepEqual(
      store.listTraces().map((s) => s.name),
      ['svc4', 'svc3', 'svc2', 'svc1', 'svc0'],
    );
    assert.equal(store.listTraces(undefined, 2).length, 2);
    assert.equal(store.listTraces('', 0).length, 0);
    assert.equal(store.listTraces('  ', Number.NaN).length, 5);
    assert.equal(store.listTraces(undefined, 1e9).length, 5);
    assert.deepEqual(
      store.listTraces('service("svc1") OR service("svc3")').map((s) => s.name),
      ['svc3', 'svc1'],
    );
    assert.throws(() => store.listTraces('responsetime >'), FilterSyntaxError);
    assert.equal(store.getTrace('nope'), undefined);
  });
});

describe('TraceStore bounds', () => {
  it('evicts the oldest traces by first arrival and counts them', () => {
    const store = new TraceStore({ maxTraces: 3 });
    for (let i = 0; i < 10; i++) {
      store.add({ trace_id: `t${i}`, id: `a${i}`, name: 'n', start_time: 1, end_time: 2 });
      store.add({ trace_id: `t${i}`, id: `b${i}`, name: 'n', start_time: 1, end_time: 2 });
      // Later documents of an old trace do not refresh it.
      if (i > 0) store.add({ trace_id: `t${i - 1}`, id: `c${i}`, name: 'n', start_time: 1, end_time: 2 });
    }
    assert.equal(store.traceCount, 3);
    assert.equal(store.evicted, 7);
    assert.equal(store.getTrace('t6'), undefined);
    assert.ok(store.getTrace('t7'));
    assert.equal(store.documentCount, 3 + 3 + 2);
  });

  it('caps documents per trace and drops documents without a trace_id', () => {
    const store = new TraceStore({ maxDocumentsPerTrace: 2 });
    for (let i = 0; i < 5; i++)
      store.add({ trace_id: 't', id: `d${i}`, name: 'n', start_time: 1, end_time: 2 });
    store.add({ id: 'x', name: 'n' });
    store.add(null as unknown as SegmentDocument);
    // A replacement of a stored document is still accepted.
    store.add({ trace_id: 't', id: 'd1', name: 'renamed', start_time: 1, end_time: 2 });
    store.add({ trace_id: 't', name: 'no-id', start_time: 1, end_time: 2 });
    assert.equal(store.documentCount, 2);
    assert.equal(store.droppedDocuments, 6);
    assert.ok(store.getTrace('t')?.documents.some((d) => d.name === 'renamed'));
  });
});

describe('TraceStore save and load', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-local-store-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips documents through an NDJSON save file', async () => {
    const file = path.join(dir, 'traces.ndjson');
    const { docs } = threeServiceTrace();
    const store = new TraceStore();
    store.add(docs[0]);
    store.attachSaveFile(file);
    for (const doc of docs.slice(1)) store.add(doc);
    await store.close();
    await store.close();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
    fs.appendFileSync(
      file,
      'not json\n\n{"format":"json","version":1}\n[1]\n' + JSON.stringify(docs[0]) + '\n',
    );
    const loaded = new TraceStore();
    assert.equal(loaded.loadFile(file), 6);
    assert.equal(loaded.skippedLines, 3);
    assert.deepEqual(loaded.getTrace(T1)?.segments, store.getTrace(T1)?.segments);
    assert.deepEqual(loaded.getTrace(T1)?.summary, store.getTrace(T1)?.summary);
  });

  it('reports a save-file error instead of crashing, and close() still resolves', async () => {
    const store = new TraceStore();
    store.attachSaveFile(path.join(dir, 'missing-dir', 'x.ndjson'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(store.saveFileError);
    store.add({ trace_id: 't', id: 'a', name: 'n', start_time: 1, end_time: 2 });
    await store.close();
    assert.equal(store.traceCount, 1);
  });

  it('re-attaching switches files; loadFile throws for a missing file', async () => {
    const store = new TraceStore();
    store.attachSaveFile(path.join(dir, 'a.ndjson'));
    store.add({ trace_id: 't', id: 'a', name: 'n', start_time: 1, end_time: 2 });
    store.attachSaveFile(path.join(dir, 'b.ndjson'));
    store.add({ trace_id: 't', id: 'b', name: 'n', start_time: 1, end_time: 2 });
    await store.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fs.readFileSync(path.join(dir, 'a.ndjson'), 'utf8').split('\n').length, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'b.ndjson'), 'utf8').split('\n').length, 2);
    assert.throws(() => store.loadFile(path.join(dir, 'none.ndjson')), /ENOENT/);
  });
});
