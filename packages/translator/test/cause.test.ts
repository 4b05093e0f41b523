/**
 * Stack frames from real V8 stacks (translator-spec.md §12.2): `javascript`, `nodejs` (what
 * OpenTelemetry JS reports on Node.js) and `webjs` all use the V8 rules (collector-contrib #45356,
 * PR #47603). The stacks come from real `Error`s thrown in this file, so the expected lines are
 * found by markers in its source (the test runner maps stacks back to the .ts lines).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SpanKind } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spanToSegment, type Exception, type TranslatorOptions } from '../src';
import { makeSpan, schemaErrors } from './helpers';

/** 1-based line of the marker comment in this file. */
function lineOf(marker: string): number {
  const lines = fs.readFileSync(__filename, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(marker) && !line.includes('lineOf('));
  assert.ok(index >= 0, `marker ${marker} not found`);
  return index + 1;
}

class Widget {
  constructor(readonly size: number) {
    if (size < 0) throw new RangeError('negative size'); // MARK:widget
  }
}

class Inventory {
  reserve(size: number): Widget {
    return new Widget(size); // MARK:reserve
  }
}

function placeOrder(sizes: number[]): Widget[] {
  const inventory = new Inventory();
  return sizes.map((size) => inventory.reserve(size)); // MARK:place
}

/** A real error thrown three functions deep, through a constructor and `Array.prototype.map`. */
function realError(): Error {
  try {
    placeOrder([1, -1]);
  } catch (error) {
    return error as Error;
  }
  throw new Error('placeOrder did not throw');
}

async function realAsyncError(): Promise<Error> {
  const fail = async (): Promise<never> => {
    await Promise.resolve();
    throw new TypeError('async failure'); // MARK:async
  };
  try {
    await fail();
  } catch (error) {
    return error as Error;
  }
  throw new Error('fail did not throw');
}

/** The collector's V8 rules (these tests pin them); the Node.js form is tested below. */
function exceptionsOf(
  stack: string,
  language: string | undefined,
  type = 'RangeError',
  options: TranslatorOptions = { nodeStackFrames: false },
): Exception[] {
  const resource = language === undefined ? {} : { 'telemetry.sdk.language': language };
  const doc = spanToSegment(
    makeSpan({
      kind: 1,
      resource: { attributes: resource },
      events: [
        {
          name: 'exception',
          time: [1700000000, 0],
          attributes: { 'exception.type': type, 'exception.message': 'm', 'exception.stacktrace': stack },
        },
      ],
    }),
    options,
  );
  assert.equal(schemaErrors(doc), undefined);
  return doc.cause!.exceptions;
}

/** The `    at ` lines of a V8 stack: every one of them is a frame (V8 always closes its parentheses). */
function frameLines(stack: string): string[] {
  return stack.split('\n').filter((line) => line.startsWith('    at '));
}

describe('V8 stack frames for javascript, nodejs and webjs', () => {
  it('a real Error: the innermost frames name the constructor, the method and the callback', () => {
    const stack = realError().stack!;
    const [exception] = exceptionsOf(stack, 'nodejs');
    const frames = exception.stack!;
    assert.equal(frames.length, frameLines(stack).length);
    // V8 labels keep the space before `(` (the collector's rule), e.g. `new Widget `.
    assert.deepEqual(frames[0], { path: __filename, line: lineOf('MARK:widget'), label: 'new Widget ' });
    assert.deepEqual(frames[1], {
      path: __filename,
      line: lineOf('MARK:reserve'),
      label: 'Inventory.reserve ',
    });
    assert.equal(frames[2].path, __filename);
    assert.equal(frames[2].line, lineOf('MARK:place'));
    assert.deepEqual(frames[3], { path: '<anonymous>', line: 0, label: 'Array.map ' });
    assert.deepEqual(frames[4], { path: __filename, line: lineOf('MARK:place'), label: 'placeOrder ' });
    assert.equal(exception.type, 'RangeError');
  });

  it('nodejs, webjs and javascript parse alike; other or no languages give no frames', () => {
    const stack = realError().stack!;
    const strip = (exceptions: Exception[]) => exceptions.map(({ id: _id, ...rest }) => rest);
    const nodejs = strip(exceptionsOf(stack, 'nodejs'));
    assert.ok(nodejs[0].stack !== undefined && nodejs[0].stack.length > 4);
    assert.deepEqual(strip(exceptionsOf(stack, 'webjs')), nodejs);
    assert.deepEqual(strip(exceptionsOf(stack, 'javascript')), nodejs);
    for (const language of [undefined, 'ruby', 'NodeJS', 'node']) {
      assert.equal(exceptionsOf(stack, language)[0].stack, undefined, String(language));
    }
  });

  it('an async stack keeps its `async` labels; message lines after the first are not frames', async () => {
    const error = await realAsyncError();
    const [exception] = exceptionsOf(error.stack!, 'nodejs', 'TypeError');
    const frames = exception.stack!;
    assert.deepEqual(frames[0], { path: __filename, line: lineOf('MARK:async'), label: 'fail ' });
    assert.ok(
      frames.some((frame) => frame.label === 'async realAsyncError '),
      JSON.stringify(frames),
    );

    const multiLine = new Error('first line\nsecond line');
    const stack = multiLine.stack!;
    const parsed = exceptionsOf(stack, 'nodejs', 'Error')[0].stack!;
    assert.equal(parsed.length, frameLines(stack).length);
    assert.equal(parsed[0].path, __filename);
  });

  it('an exception recorded by the real SDK (resource telemetry.sdk.language = nodejs) has frames', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('test').startSpan('GET /orders', { kind: SpanKind.SERVER });
    const error = realError();
    span.recordException(error);
    span.end();
    await provider.forceFlush();
    const [finished] = exporter.getFinishedSpans();
    assert.equal(finished.resource.attributes['telemetry.sdk.language'], 'nodejs');
    const doc = spanToSegment(finished);
    const [exception] = doc.cause!.exceptions;
    assert.equal(exception.type, 'RangeError');
    assert.equal(exception.message, 'negative size');
    assert.equal(exception.stack?.length, frameLines(error.stack!).length);
    // Default nodeStackFrames: the label as written, without the collector's trailing space.
    assert.equal(exception.stack?.[0].label, 'new Widget');
    assert.equal(exception.stack?.[0].path, __filename);
    assert.equal(doc.aws?.xray?.sdk, 'opentelemetry for nodejs');
    assert.equal(schemaErrors(doc), undefined);
    await provider.shutdown();
  });

  describe('nodeStackFrames (default): frames as Node.js writes them', () => {
    const STACK = [
      'Error: boom',
      '    at handler (file:///srv/my%20app/app.mjs:12:11)',
      '    at async Server.<anonymous> (file:///srv/app/server.mjs:5:3)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      '    at async /srv/node_modules/@smithy/core/dist-cjs/index.js:23:20',
      '    at async Promise.all (index 0)',
      '    at Object.<anonymous> (C:\\app\\x.js:1:1)',
      '    at JSON.parse (native)',
      '    at /srv/anon.js:7:9',
      '    at broken (x',
    ].join('\n');

    it('splits locations from the right, turns file URLs into paths, labels async frames', () => {
      const [exception] = exceptionsOf(STACK, 'nodejs', 'Error', {});
      assert.deepEqual(exception.stack, [
        { path: '/srv/my app/app.mjs', line: 12, label: 'handler' },
        { path: '/srv/app/server.mjs', line: 5, label: 'async Server.<anonymous>' },
        { path: 'node:internal/process/task_queues', line: 105, label: 'process.processTicksAndRejections' },
        { path: '/srv/node_modules/@smithy/core/dist-cjs/index.js', line: 23, label: 'async' },
        { path: 'index 0', line: 0, label: 'async Promise.all' },
        { path: 'C:\\app\\x.js', line: 1, label: 'Object.<anonymous>' },
        { path: 'native', line: 0, label: 'JSON.parse' },
        { path: '/srv/anon.js', line: 7, label: '' },
      ]);
    });

    it("nodeStackFrames: false gives the collector's frames (an ES module frame is path `file`, line 0)", () => {
      const [exception] = exceptionsOf(STACK, 'nodejs', 'Error', { nodeStackFrames: false });
      assert.deepEqual(exception.stack?.[0], { path: 'file', line: 0, label: 'handler ' });
      assert.deepEqual(exception.stack?.[2], {
        path: 'node',
        line: 0,
        label: 'process.processTicksAndRejections ',
      });
    });

    it('a real ES module error keeps its file and line', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'xray-otel-esm-'));
      const file = join(dir, 'make error.mjs');
      writeFileSync(file, 'export const make = () => new Error("esm");\n');
      try {
        // A dynamic import the TypeScript build leaves alone (it would make it a require()).
        const load = new Function('url', 'return import(url)') as (url: string) => Promise<{ make(): Error }>;
        const { make } = await load(pathToFileURL(file).href);
        const stack = make().stack!;
        assert.match(stack, /file:\/\/\//);
        const [exception] = exceptionsOf(stack, 'nodejs', 'Error', {});
        assert.deepEqual(exception.stack?.[0], { path: file, line: 1, label: 'make' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
