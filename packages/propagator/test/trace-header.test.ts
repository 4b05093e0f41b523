import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  formatTraceHeader,
  isValidLineage,
  parseTraceHeader,
  parseTraceHeaderReporting,
  toXRayTraceId,
} from '../src/trace-header';
import type { TraceHeaderFields } from '../src/trace-header';

const shared = path.resolve(__dirname, '../../../../shared');
const wire = path.join(shared, 'fixtures', 'wire');

interface NodeMatrixCase {
  index: number;
  case: string;
  header: string;
  processTraceData: { root?: string; parent?: string; sampled?: string; data?: Record<string, string> };
}
interface PythonMatrixCase {
  index: number;
  case: string;
  header: string;
  'TraceHeader.from_header_str': {
    root: string | null;
    parent: string | null;
    sampled: number | string | null;
    data: Record<string, string> | null;
  };
}

const nodeMatrix = JSON.parse(
  readFileSync(path.join(wire, 'node', 'node-09-header-matrix.results.json'), 'utf8'),
) as NodeMatrixCase[];
const pythonMatrix = JSON.parse(
  readFileSync(path.join(wire, 'python', 'py-07-header-matrix.results.json'), 'utf8'),
) as PythonMatrixCase[];

const TRACE = '5759e988bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';
const canonical: TraceHeaderFields = { traceId: TRACE, parentId: PARENT, sampled: true };

/**
 * Our outcome for each of the 26 header variants captured from aws-xray-sdk-core 3.12 (node-09) and
 * aws-xray-sdk 2.15 (py-07). `undefined` = no context (the caller starts a new trace, as the SDKs
 * do for garbage). The comment says where we differ from the classic SDKs and why.
 */
const expected: Record<string, TraceHeaderFields | undefined> = {
  canonical,
  reordered: canonical,
  // Python keeps " Parent" as a custom key and loses Parent/Sampled; we trim like Node and Go.
  'space-after-semicolon': canonical,
  // Python and Go do not recognise `Root `; the contrib propagator rejects the leading space.
  'spaces-around-equals': canonical,
  // Keys are case-insensitive, as in Node (Python, Go and contrib ignore `root=`).
  'lowercase-keys': canonical,
  // Python ignores the whole header on a trailing `;`; an empty field is harmless.
  'trailing-semicolon': canonical,
  // ALB: Self is dropped, Root kept without Parent (root only), no decision -> the local sampler.
  'alb-self-first': { traceId: '67891233abcdef012345678912345678' },
  'root-only': { traceId: TRACE },
  'root-parent-no-sampled': { traceId: TRACE, parentId: PARENT },
  // No Root: nothing to join (the SDKs start a new trace; so does the host without a context).
  'sampled-only': undefined,
  'sampled-question': { traceId: TRACE, parentId: PARENT },
  // Not 0 or 1: no decision, like Node, Python and Go (the contrib propagator drops the context).
  'sampled-true-word': { traceId: TRACE, parentId: PARENT },
  'sampled-0': { traceId: TRACE, parentId: PARENT, sampled: false },
  // Invalid roots: the SDKs forward them verbatim (Node pads a short epoch) and X-Ray rejects the
  // segments later; we drop the header so the service at least records a valid trace of its own.
  'root-short-random-part': undefined,
  'root-garbage': undefined,
  // Upper-case hex accepted and normalised (Node lower-cases only the epoch, Python keeps it).
  'root-uppercase-hex': canonical,
  'root-version-2': undefined,
  'root-short-epoch': undefined,
  // The SDKs would send `parent_id: "not-a-span-id"`, which X-Ray rejects.
  'parent-not-hex': undefined,
  'lineage-and-custom': {
    ...canonical,
    lineage: 'a87bd80c:1|68fd508a:5',
    extraFields: [['CalledFrom', 'app']],
  },
  // Node and Python truncate at the second `=` (`Foo=a`); we keep the value whole, like Go.
  'value-with-equals': { ...canonical, extraFields: [['Foo', 'a=b']] },
  // A field without `=` is ignored (Node, Go); Python ignores the whole header.
  'key-without-value': canonical,
  // Last Root wins, as everywhere; no Parent -> root only.
  'duplicate-root': { traceId: '5759e988bbbbbbbbbbbbbbbbbbbbbbbb', sampled: true },
  empty: undefined,
  garbage: undefined,
  // Node's 256-character budget: K1 (198) kept, K2 (103) no longer fits, K3 (7) does. Python keeps all.
  'long-custom-data': { ...canonical, extraFields: [] /* filled below from the fixture */ },
};

function nodeExtraFields(data: Record<string, string> | undefined): [string, string][] {
  return Object.entries(data ?? {}).filter(([key]) => key !== 'Lineage');
}

describe('trace-header', () => {
  describe('header matrices captured from the classic SDKs', () => {
    it('both matrices hold the same 26 headers', () => {
      assert.equal(nodeMatrix.length, 26);
      assert.deepEqual(
        pythonMatrix.map((c) => [c.case, c.header]),
        nodeMatrix.map((c) => [c.case, c.header]),
      );
      assert.deepEqual(Object.keys(expected).sort(), nodeMatrix.map((c) => c.case).sort());
    });

    for (const nodeCase of nodeMatrix) {
      it(`node-09 / py-07 #${nodeCase.index} ${nodeCase.case}`, () => {
        let want = expected[nodeCase.case];
        if (nodeCase.case === 'long-custom-data') {
          // Same budget as Node: exactly the fields Node kept.
          want = { ...canonical, extraFields: nodeExtraFields(nodeCase.processTraceData.data) };
          assert.deepEqual(
            want.extraFields!.map(([key]) => key),
            ['K1', 'K3'],
          );
        }
        const got = parseTraceHeader(nodeCase.header);
        assert.deepEqual(got, want);
        if (got === undefined) return;
        // Where we keep a context, it is the one Node's processTraceData read (ids lower-cased).
        const node = nodeCase.processTraceData;
        assert.equal(toXRayTraceId(got.traceId), node.root!.toLowerCase());
        assert.equal(got.parentId, node.parent?.toLowerCase());
        const nodeSampled = node.sampled === '1' ? true : node.sampled === '0' ? false : undefined;
        assert.equal(got.sampled, nodeSampled);
        // And the one Python read whenever Python found a Parent (it loses it on `; `, see above).
        const py = pythonMatrix[nodeCase.index]['TraceHeader.from_header_str'];
        if (py.root !== null && py.parent !== null) {
          assert.equal(toXRayTraceId(got.traceId), py.root.toLowerCase());
          assert.equal(got.parentId, py.parent.toLowerCase());
        }
      });
    }
  });

  describe('parseTraceHeader', () => {
    const root = 'Root=1-5759e988-bd862e3fe1be46a994272793';

    it('rejects non-strings, over-long values, all-zero ids and bad ids, saying why', () => {
      const problems: string[] = [];
      const parse = (value: unknown) => parseTraceHeaderReporting(value, (p) => problems.push(p));
      assert.equal(parse(undefined), undefined);
      assert.equal(parse(42), undefined);
      assert.equal(parse(root + ';Foo=' + 'x'.repeat(9000)), undefined);
      assert.equal(parse('Root=1-00000000-000000000000000000000000;Parent=' + PARENT), undefined);
      assert.equal(parse(root + ';Parent=0000000000000000'), undefined);
      assert.equal(parse(root + ';Parent=53995c3f42cd8ad'), undefined);
      assert.equal(parse('Root=1-5759e988_bd862e3fe1be46a994272793'), undefined);
      assert.equal(parse('Root=1-5759e98g-bd862e3fe1be46a994272793'), undefined);
      assert.deepEqual(problems, [
        'not a string',
        'not a string',
        'longer than 8192 characters (9045)',
        'invalid Root',
        'invalid Parent',
        'invalid Parent',
        'invalid Root',
        'invalid Root',
      ]);
    });

    it('accepts tabs, a Sampled decision in any case of key, and the last duplicate of each key', () => {
      assert.deepEqual(parseTraceHeader(`\t${root}\t;\tSAMPLED\t=\t0;sampled=1;Parent=${PARENT}`), canonical);
      assert.deepEqual(
        parseTraceHeader(`${root};Parent=1111111111111111;Parent=${PARENT};Sampled=1`),
        canonical,
      );
    });

    it('treats a comma as the end of the first of several joined header lines', () => {
      assert.deepEqual(
        parseTraceHeader(`${root};Parent=${PARENT};Sampled=1, Root=1-5759e988-aaaaaaaaaaaaaaaaaaaaaaaa`),
        canonical,
      );
    });

    it('ignores empty values, empty keys and Self; keeps the last duplicate application field', () => {
      assert.deepEqual(parseTraceHeader(`${root};Parent=;=x;Self=abc;A=1;B=2;A=3;Sampled=`), {
        traceId: TRACE,
        extraFields: [
          ['B', '2'],
          ['A', '3'],
        ],
      });
    });

    it('a replaced duplicate gives its budget back', () => {
      const big = 'x'.repeat(250);
      const parsed = parseTraceHeader(`${root};K=${big};K=y;L=${'z'.repeat(200)}`);
      assert.deepEqual(parsed?.extraFields, [
        ['K', 'y'],
        ['L', 'z'.repeat(200)],
      ]);
    });

    it('leaves extraFields out when a duplicate over the budget removed the only field (found by fuzzing)', () => {
      assert.deepEqual(parseTraceHeader(`${root};X=y;X=${'y'.repeat(256)}`), { traceId: TRACE });
    });

    it('drops application fields whose key or value could not be re-emitted safely', () => {
      const problems: string[] = [];
      const parsed = parseTraceHeaderReporting(`${root};Bad Key=1;Ok=fine value;V=\u0001;U=\u00e9`, (p) =>
        problems.push(p),
      );
      assert.deepEqual(parsed?.extraFields, [['Ok', 'fine value']]);
      assert.equal(problems.length, 3);
    });

    it('validates Lineage and drops an invalid one (reporting it), keeping the rest', () => {
      const problems: string[] = [];
      const parsed = parseTraceHeaderReporting(`${root};Lineage=nope;Sampled=1`, (p) => problems.push(p));
      assert.deepEqual(parsed, { traceId: TRACE, sampled: true });
      assert.deepEqual(problems, ['invalid Lineage dropped']);
      assert.equal(parseTraceHeader(`${root};Lineage=10:1234abcd:3;Lineage=bad`)?.lineage, undefined);
      assert.equal(parseTraceHeader(`${root};Lineage=bad;Lineage=10:1234abcd:3`)?.lineage, '10:1234abcd:3');
    });
  });

  describe('isValidLineage', () => {
    it('accepts both documented formats', () => {
      for (const lineage of [
        '10:1234abcd:3',
        '0:ABCDEF01:0',
        '32767:1234abcd:255',
        'a87bd80c:1',
        'a87bd80c:1|68fd508a:5|c512fbe3:2',
        'A87BD80C:99999',
      ]) {
        assert.ok(isValidLineage(lineage), lineage);
      }
    });

    it('rejects everything else', () => {
      for (const lineage of [
        '',
        'nope',
        '32768:1234abcd:3',
        '10:1234abcd:256',
        '10:1234abc:3',
        '10:1234abcg:3',
        ':1234abcd:3',
        '10:1234abcd:',
        'a87bd80c:',
        'a87bd80c:123456',
        'a87bd80c:1|',
        'a87bd80c:1|68fd508a',
        'a87bd80:1',
        'a87bd80cx1',
        'a87bd80g:1',
        '10:1234abcd:3|a87bd80c:1',
        'a87bd80c:1|'.repeat(30) + 'a87bd80c:1',
      ]) {
        assert.equal(isValidLineage(lineage), false, lineage);
      }
    });
  });

  describe('formatTraceHeader', () => {
    it('writes the fields in the producers’ order', () => {
      assert.equal(
        formatTraceHeader({
          traceId: TRACE,
          parentId: PARENT,
          sampled: false,
          lineage: '10:1234abcd:3',
          extraFields: [
            ['Foo', 'bar'],
            ['CalledFrom', 'app'],
          ],
        }),
        `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${PARENT};Sampled=0;Lineage=10:1234abcd:3;Foo=bar;CalledFrom=app`,
      );
    });

    it('leaves out Parent and Sampled when absent', () => {
      assert.equal(formatTraceHeader({ traceId: TRACE }), 'Root=1-5759e988-bd862e3fe1be46a994272793');
    });

    it('round-trips with parseTraceHeader', () => {
      const fields: TraceHeaderFields = {
        traceId: TRACE,
        parentId: PARENT,
        sampled: true,
        lineage: 'a87bd80c:1|68fd508a:5',
        extraFields: [['CalledFrom', 'app']],
      };
      assert.deepEqual(parseTraceHeader(formatTraceHeader(fields)), fields);
    });
  });
});
