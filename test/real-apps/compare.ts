// Differences between the classic SDK's normalised traces and ours, one record per field: the
// documents of a scenario are paired by role in order (a longest common subsequence of roles, so an
// extra or a missing document does not shift the others), then compared field by field.
import type { NormalDocument } from './normalise';

type Primitive = string | number | boolean;

export interface Difference {
  scenario: string;
  /** The document: its role and, to tell documents apart, the classic (or ours) name. */
  document: string;
  /** A field of NormalDocument.fields, `document` (one side has no such document), or `map.node` / `map.edge`, `traces`. */
  field: string;
  classic?: Primitive;
  ours?: Primitive;
}

export function describe(difference: Difference): string {
  const show = (value: Primitive | undefined) => (value === undefined ? '(none)' : JSON.stringify(value));
  return (
    `${difference.scenario} / ${difference.document} / ${difference.field}: ` +
    `classic ${show(difference.classic)}, ours ${show(difference.ours)}`
  );
}

/** Index pairs of a longest common subsequence of `a` and `b` (equal roles). */
function align(a: string[], b: string[]): [number, number][] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] =
        a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

export function compareDocuments(
  scenario: string,
  classic: NormalDocument[],
  ours: NormalDocument[],
): Difference[] {
  const differences: Difference[] = [];
  const label = (document: NormalDocument) => `${document.role} "${String(document.fields.name)}"`;
  const pairs = align(
    classic.map((d) => d.role),
    ours.map((d) => d.role),
  );
  const pairedClassic = new Set(pairs.map(([i]) => i));
  const pairedOurs = new Set(pairs.map(([, j]) => j));
  classic.forEach((document, i) => {
    if (!pairedClassic.has(i))
      differences.push({ scenario, document: label(document), field: 'document', classic: label(document) });
  });
  ours.forEach((document, j) => {
    if (!pairedOurs.has(j))
      differences.push({ scenario, document: label(document), field: 'document', ours: label(document) });
  });
  for (const [i, j] of pairs) {
    const a = classic[i].fields;
    const b = ours[j].fields;
    for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[field] !== b[field]) {
        differences.push({ scenario, document: label(classic[i]), field, classic: a[field], ours: b[field] });
      }
    }
  }
  return differences;
}

/** Nodes and edges present on one side only. */
export function compareMaps(
  classic: { nodes: string[]; edges: string[] },
  ours: { nodes: string[]; edges: string[] },
): Difference[] {
  const differences: Difference[] = [];
  for (const kind of ['nodes', 'edges'] as const) {
    const field = kind === 'nodes' ? 'map.node' : 'map.edge';
    const theirs = new Set(classic[kind]);
    const mine = new Set(ours[kind]);
    for (const item of theirs)
      if (!mine.has(item))
        differences.push({ scenario: 'service-map', document: item, field, classic: item });
    for (const item of mine)
      if (!theirs.has(item)) differences.push({ scenario: 'service-map', document: item, field, ours: item });
  }
  return differences;
}
