/**
 * The evaluator of X-Ray filter expressions over one trace.
 *
 * Semantics: simple keywords apply at the trace level, i.e. to the root segment (responsetime, http.*,
 * ok / error / fault / throttle: "a downstream error handled by your application will not be
 * found"; use `service() { fault }` for that); `duration` is the whole trace; `partial` is any
 * in-progress document; `user` any segment; annotations any document. Inside `service(...) { }` the
 * keywords apply to that node's segment, inside `edge(a, b) { }` to the callee side of the edge.
 */
import {
  analyzeTrace,
  children,
  DEFAULT_SERVICE_TYPE,
  isInProgress,
  isObject,
  latencyOf,
  num,
  rootDocument,
  str,
  type GraphNode,
  type TraceGraph,
} from '../service-map';
import type { SegmentDocument, TraceSummary } from '../types';
import {
  KEYWORDS,
  type ComparisonOperator,
  type FilterExpression,
  type FilterValue,
  type NodeRef,
} from './types';

/** Values of a keyword for a subject (a trace, a service's segment, an edge's callee): any may match. */
type Subject = (keyword: string, annotation: string | undefined) => FilterValue[];

export interface TraceInput {
  summary: TraceSummary;
  documents: SegmentDocument[];
}

const HTTP_REQUEST_FIELDS: Record<string, string> = {
  'http.url': 'url',
  'http.method': 'method',
  'http.useragent': 'user_agent',
  'http.clientip': 'client_ip',
};

function httpValue(doc: SegmentDocument | undefined, keyword: string): FilterValue[] {
  const http = doc !== undefined && isObject(doc.http) ? doc.http : {};
  const request = isObject(http.request) ? http.request : {};
  const response = isObject(http.response) ? http.response : {};
  const field = HTTP_REQUEST_FIELDS[keyword];
  const value =
    keyword === 'http.status' ? num(response.status) : field === undefined ? undefined : str(request[field]);
  return value === undefined ? [] : [value];
}

function eachDocument(docs: SegmentDocument[], visit: (doc: SegmentDocument) => void): void {
  const stack = [...docs].reverse();
  while (stack.length > 0) {
    const doc = stack.pop() as SegmentDocument;
    visit(doc);
    stack.push(...children(doc).reverse());
  }
}

function annotationValues(docs: SegmentDocument[], key: string): FilterValue[] {
  const values: FilterValue[] = [];
  eachDocument(docs, (doc) => {
    if (isObject(doc.annotations) && Object.prototype.hasOwnProperty.call(doc.annotations, key)) {
      const value = doc.annotations[key];
      if (typeof value === 'string' || typeof value === 'boolean' || num(value) !== undefined)
        values.push(value as FilterValue);
    }
  });
  return values;
}

function flags(doc: SegmentDocument | undefined, keyword: string): FilterValue[] {
  if (doc === undefined) return [false];
  if (keyword === 'ok') return [doc.fault !== true && doc.error !== true && doc.throttle !== true];
  return [doc[keyword] === true];
}

function anyInProgress(docs: SegmentDocument[]): boolean {
  let partial = false;
  eachDocument(docs, (doc) => {
    if (doc.in_progress === true) partial = true;
  });
  return partial;
}

/** The keywords of one graph node's segment (inside `service() { }` / `edge() { }`). */
function nodeSubject(node: GraphNode, doc: SegmentDocument, root: boolean): Subject {
  return (keyword, annotation) => {
    switch (keyword) {
      case 'annotation':
        return annotationValues([doc], annotation as string);
      case 'ok':
      case 'error':
      case 'fault':
      case 'throttle':
        return flags(doc, keyword);
      case 'partial':
        return [isInProgress(doc) || anyInProgress([doc])];
      case 'inferred':
        return [node.inferred];
      case 'root':
        return [root];
      case 'responsetime':
      case 'duration': {
        const latency = latencyOf(doc);
        return latency === undefined ? [] : [latency];
      }
      case 'user':
        return str(doc.user) === undefined ? [] : [doc.user as string];
      case 'name':
        return [node.name];
      case 'type':
        return [node.type];
      default:
        return httpValue(doc, keyword);
    }
  };
}

function matchesNode(node: GraphNode, ref: NodeRef | undefined): boolean {
  return (
    ref === undefined ||
    ((ref.name === undefined || ref.name === node.name) && (ref.type === undefined || ref.type === node.type))
  );
}

function compare(actual: FilterValue, operator: ComparisonOperator, expected: FilterValue): boolean {
  if (typeof actual !== typeof expected) return false;
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case 'CONTAINS':
      return (actual as string).includes(expected as string);
    case 'BEGINSWITH':
      return (actual as string).startsWith(expected as string);
    case 'ENDSWITH':
      return (actual as string).endsWith(expected as string);
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}

export class Evaluator {
  /**
   * Expression nodes evaluated so far: the evaluator's work. `service()` and `edge()` look at the
   * whole trace whatever the subject, so their verdicts are kept per trace; without that, nested
   * `service() { service() { ... } }` would cost (nodes ^ depth). Tests assert the bound on this count.
   */
  steps = 0;
  private graphCache?: TraceGraph;
  private rootCache?: { doc: SegmentDocument | undefined };
  private readonly graphVerdicts = new Map<FilterExpression, boolean>();
  constructor(private readonly trace: TraceInput) {}

  private get graph(): TraceGraph {
    return (this.graphCache ??= analyzeTrace(this.trace.documents));
  }

  private get root(): SegmentDocument | undefined {
    return (this.rootCache ??= { doc: rootDocument(this.trace.documents) }).doc;
  }

  /** The keywords of the whole trace (outside any `service() { }` / `edge() { }`). */
  readonly traceSubject: Subject = (keyword, annotation) => {
    const { summary, documents } = this.trace;
    switch (keyword) {
      case 'annotation':
        return annotationValues(documents, annotation as string);
      case 'ok':
      case 'error':
      case 'fault':
      case 'throttle':
        return flags(this.root, keyword);
      case 'partial':
        return [anyInProgress(documents)];
      case 'inferred':
        return [this.graph.visits.some((v) => v.node.inferred)];
      case 'root':
        return [true];
      case 'responsetime':
        return summary.responseTime === undefined ? [] : [summary.responseTime];
      case 'duration':
        return [summary.duration];
      case 'user':
        return documents.filter((d) => str(d.user) !== undefined).map((d) => d.user as string);
      case 'name':
        return this.root === undefined ? [] : [summary.name];
      case 'type':
        return this.root === undefined ? [] : [str(this.root.origin) || DEFAULT_SERVICE_TYPE];
      default:
        return httpValue(this.root, keyword);
    }
  };

  evaluate(expr: FilterExpression, subject: Subject): boolean {
    this.steps++;
    switch (expr.kind) {
      case 'and':
        return this.evaluate(expr.left, subject) && this.evaluate(expr.right, subject);
      case 'or':
        return this.evaluate(expr.left, subject) || this.evaluate(expr.right, subject);
      case 'not':
        return !this.evaluate(expr.operand, subject);
      case 'keyword': {
        const values = subject(expr.keyword, expr.annotation);
        return KEYWORDS[expr.keyword] === 'boolean' ? values.some((v) => v === true) : values.length > 0;
      }
      case 'compare':
        return subject(expr.keyword, expr.annotation).some((v) => compare(v, expr.operator, expr.value));
      case 'service':
      case 'edge': {
        let verdict = this.graphVerdicts.get(expr);
        if (verdict === undefined) {
          verdict = this.evaluateGraph(expr);
          this.graphVerdicts.set(expr, verdict);
        }
        return verdict;
      }
    }
  }

  private evaluateGraph(expr: Extract<FilterExpression, { kind: 'service' | 'edge' }>): boolean {
    if (expr.kind === 'service') {
      return this.graph.visits.some(
        (v) =>
          matchesNode(v.node, expr.node) &&
          (expr.filter === undefined || this.evaluate(expr.filter, nodeSubject(v.node, v.doc, v.root))),
      );
    }
    return this.graph.calls.some(
      (c) =>
        matchesNode(c.source, expr.source) &&
        matchesNode(c.target, expr.target) &&
        (expr.filter === undefined || this.evaluate(expr.filter, nodeSubject(c.target, c.doc, false))),
    );
  }
}

/** Whether a trace satisfies a parsed filter expression. */
export function matchesFilter(expr: FilterExpression, trace: TraceInput): boolean {
  const evaluator = new Evaluator(trace);
  return evaluator.evaluate(expr, evaluator.traceSubject);
}
