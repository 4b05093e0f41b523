/**
 * fault / error / throttle and the `cause` block (translator-spec.md §5, §12): exception events,
 * AWS SDK `HTTP request failure` events, or the ERROR status message; stack traces parsed per
 * `telemetry.sdk.language` (Java/PHP, Python, JavaScript/Node.js, .NET, Go; others are not parsed).
 */
import { AWSXRayIdGenerator } from '@xray-otel/id-generator';
import {
  AWS_HTTP_ERROR_EVENT_TYPE,
  AWS_HTTP_ERROR_MESSAGE,
  AWS_HTTP_FAILURE_EVENT,
  EXCEPTION_EVENT,
  EXCEPTION_MESSAGE,
  EXCEPTION_STACKTRACE,
  EXCEPTION_TYPE,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_STATUS_CODE,
  HTTP_STATUS_TEXT,
  KIND_CLIENT,
  KIND_PRODUCER,
  STATUS_ERROR,
} from './constants';
import type { Cause, Exception, StackFrame } from './document';
import type { AttributesLike, HrTimeLike, SpanEventLike } from './types';
import { asString, atoi, atoiRange, has, int, str } from './values';

export interface FaultFlags {
  fault: boolean;
  error: boolean;
  throttle: boolean;
}

/** §5: a 4xx/5xx HTTP status decides regardless of the span status; otherwise ERROR ⇒ fault. */
export function makeFaultFlags(attributes: AttributesLike, statusCode: number): FaultFlags {
  let code: number | undefined;
  if (has(attributes, HTTP_STATUS_CODE)) code = int(attributes[HTTP_STATUS_CODE]);
  else if (has(attributes, HTTP_RESPONSE_STATUS_CODE)) code = int(attributes[HTTP_RESPONSE_STATUS_CODE]);
  if (code !== undefined && code >= 400 && code <= 499)
    return { fault: false, error: true, throttle: code === 429 };
  if (code !== undefined && code >= 500 && code <= 599) return { fault: true, error: false, throttle: false };
  return { fault: statusCode === STATUS_ERROR, error: false, throttle: false };
}

// Exception ids are made per translated exception: one crypto call each (randomBytes) was ~30 % of
// the translation of a span with an exception (bench/translator.bench.mjs); the id generator pools.
const segmentIds = new AWSXRayIdGenerator();

/** 16 random hex, never all zero: exception ids (and the LOCAL_ROOT service segment id). */
export function newSegmentId(): string {
  return segmentIds.generateSpanId();
}

/** §12.1. `http.status_text` is consumed only on the ERROR-status path. */
export function makeCause(
  kind: number,
  status: { code: number; message?: string },
  attributes: AttributesLike,
  events: readonly SpanEventLike[] | undefined,
  language: string,
  isAwsSdkSpan: boolean,
  consumed: Set<string>,
  nodeStackFrames = false,
): Cause | undefined {
  let hasExceptions = false;
  const eventCount = Array.isArray(events) ? events.length : 0;
  for (let i = 0; i < eventCount; i++) {
    const name = events![i]?.name;
    if (name === EXCEPTION_EVENT || (isAwsSdkSpan && name === AWS_HTTP_FAILURE_EVENT)) {
      hasExceptions = true;
      break;
    }
  }
  if (hasExceptions) {
    const remote = kind === KIND_CLIENT || kind === KIND_PRODUCER;
    const exceptions: Exception[] = [];
    for (let i = 0; i < eventCount; i++) {
      const event = events![i];
      if (event == null) continue;
      const eventAttributes: AttributesLike = event.attributes ?? {};
      if (event.name === EXCEPTION_EVENT) {
        parseException(
          str(eventAttributes[EXCEPTION_TYPE]),
          str(eventAttributes[EXCEPTION_MESSAGE]),
          str(eventAttributes[EXCEPTION_STACKTRACE]),
          remote,
          language,
          exceptions,
          nodeStackFrames,
        );
      } else if (isAwsSdkSpan && event.name === AWS_HTTP_FAILURE_EVENT) {
        if (has(eventAttributes, HTTP_RESPONSE_STATUS_CODE) && has(eventAttributes, AWS_HTTP_ERROR_MESSAGE)) {
          const message =
            asString(eventAttributes[HTTP_RESPONSE_STATUS_CODE]) +
            '@' +
            eventSeconds(event.time) +
            '@' +
            str(eventAttributes[AWS_HTTP_ERROR_MESSAGE]);
          exceptions.push({ id: newSegmentId(), message, type: AWS_HTTP_ERROR_EVENT_TYPE, remote: true });
        }
      }
    }
    return { exceptions };
  }
  if (status == null || status.code !== STATUS_ERROR) return undefined;
  let message = typeof status.message === 'string' ? status.message : '';
  if (has(attributes, HTTP_STATUS_TEXT)) {
    consumed.add(HTTP_STATUS_TEXT);
    if (message === '') message = str(attributes[HTTP_STATUS_TEXT]);
  }
  if (message === '') return undefined;
  return { exceptions: [{ id: newSegmentId(), message, type: '' }] };
}

/** Event time as epoch seconds with exactly 6 decimals (Go: `UnixMicro()/1e6`, `'f', 6`). */
function eventSeconds(time: HrTimeLike | undefined): string {
  let seconds = 0;
  let micros = 0;
  if (Array.isArray(time) && Number.isFinite(time[0]) && Number.isFinite(time[1])) {
    const total = Math.floor(time[0]) * 1e6 + Math.floor(time[1] / 1000);
    seconds = Math.floor(total / 1e6);
    micros = total - seconds * 1e6;
  }
  return seconds + '.' + String(micros).padStart(6, '0');
}

/**
 * §12.2: the first exception comes from the event attributes; the stack trace adds frames and,
 * for "caused by" constructs, chained exceptions. Appends to `exceptions`.
 */
export function parseException(
  type: string,
  message: string,
  stacktrace: string,
  remote: boolean,
  language: string,
  exceptions: Exception[],
  nodeStackFrames = false,
): void {
  const first: Exception = { id: newSegmentId(), message, type, remote };
  const start = exceptions.length;
  exceptions.push(first);
  if (stacktrace === '') return;
  switch (language) {
    case 'java':
    case 'php':
      fillJavaStacktrace(stacktrace, exceptions, start);
      break;
    case 'python':
      fillPythonStacktrace(stacktrace, exceptions, start);
      break;
    // OpenTelemetry JS reports `nodejs` (and `webjs` in browsers); `javascript` is the legacy value.
    // Older collectors matched only `javascript`, losing every Node.js stack (collector-contrib
    // #45356, fixed by #47603; §12.2).
    case 'javascript':
    case 'nodejs':
    case 'webjs':
      fillJavaScriptStacktrace(stacktrace, exceptions, start, nodeStackFrames);
      break;
    case 'dotnet':
      fillDotnetStacktrace(stacktrace, exceptions, start);
      break;
    case 'go':
      fillGoStacktrace(stacktrace, exceptions, start);
      break;
    default:
      break; // not parsed: no frames
  }
}

/** Lines as Go's textproto reader returns them: split on `\n`, trailing `\r` removed, no final empty line. */
function readLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

function addFrame(exception: Exception, path: string, line: number, label: string): void {
  const frame: StackFrame = { path, line, label };
  if (exception.stack === undefined) exception.stack = [frame];
  else exception.stack.push(frame);
}

/** Chains a new exception caused by `exception` (same `remote`), returns it. */
function chain(exceptions: Exception[], exception: Exception, type: string, message: string): Exception {
  const id = newSegmentId();
  exception.cause = id;
  const next: Exception = { id, message, type, remote: exception.remote };
  exceptions.push(next);
  return next;
}

const JAVA_FRAME_PREFIX = '\tat ';
const JAVA_CAUSED_BY = 'Caused by: ';

function isJavaFrame(line: string): boolean {
  return line.startsWith(JAVA_FRAME_PREFIX) && line.indexOf('(') >= 0 && line.endsWith(')');
}

/** Java and PHP: `\tat label(path:line)` frames, `Caused by: T: message` chains. */
function fillJavaStacktrace(stacktrace: string, exceptions: Exception[], start: number): void {
  const lines = readLines(stacktrace);
  if (lines.length < 2) return;
  let exception = exceptions[start];
  let i = 1;
  let line = lines[1];
  for (;;) {
    if (line.startsWith(JAVA_FRAME_PREFIX)) {
      const paren = line.indexOf('(');
      if (paren >= 0 && line.endsWith(')')) {
        let label = line.slice(JAVA_FRAME_PREFIX.length, paren);
        const slash = label.indexOf('/');
        if (slash >= 0) label = label.slice(slash + 1);
        let path = line.slice(paren + 1, line.length - 1);
        let lineNumber = 0;
        const colon = path.indexOf(':');
        if (colon >= 0) {
          lineNumber = atoi(path.slice(colon + 1));
          path = path.slice(0, colon);
        }
        addFrame(exception, path, lineNumber, label);
      }
    } else if (line.startsWith(JAVA_CAUSED_BY)) {
      let causeType = line.slice(JAVA_CAUSED_BY.length);
      let causeMessage = '';
      const colon = causeType.indexOf(':');
      if (colon >= 0) {
        // Go slices two past the colon (panicking when the colon is last); we read that as ''.
        causeMessage = colon + 2 <= causeType.length ? causeType.slice(colon + 2) : '';
        causeType = causeType.slice(0, colon);
      }
      let atEnd = false;
      for (;;) {
        i++;
        if (i >= lines.length) {
          atEnd = true;
          break;
        }
        line = lines[i];
        if (isJavaFrame(line)) break;
        causeMessage += line; // multi-line messages are joined without a separator
      }
      exception = chain(exceptions, exception, causeType, causeMessage);
      if (atEnd) break;
      continue; // the peeked line is a frame of the new exception
    }
    i++;
    if (i >= lines.length) break;
    line = lines[i];
  }
}

const PYTHON_FILE_PREFIX = '  File ';
const PYTHON_DURING_HANDLING = 'During handling of the above exception, another exception occurred:';

/** Python: read bottom-up (frames innermost first); "During handling" starts a cause. */
function fillPythonStacktrace(stacktrace: string, exceptions: Exception[], start: number): void {
  const lines = stacktrace.split('\n');
  let index = lines.length - 2; // the last line is the exception summary
  if (index < 0) return;
  let exception = exceptions[start];
  let line = lines[index];
  for (;;) {
    if (line.startsWith(PYTHON_FILE_PREFIX)) {
      const parts = line.split(',');
      if (parts.length === 3) {
        const filePart = parts[0];
        // `  File "<path>"`: 8 characters before the path, the closing quote after it.
        const path = filePart.length > 8 ? filePart.slice(8, filePart.length - 1) : '';
        const lineNumber = parts[1].startsWith(' line ') ? atoi(parts[1].slice(6)) : 0;
        const label = parts[2].startsWith(' in ') ? parts[2].slice(4) : '';
        addFrame(exception, path, lineNumber, label);
      }
    } else if (line.startsWith(PYTHON_DURING_HANDLING)) {
      let fileIndex = index - 1;
      while (fileIndex >= 0 && !lines[fileIndex].startsWith(PYTHON_FILE_PREFIX)) fileIndex--;
      if (fileIndex < 0) return; // malformed: keep what was collected
      // The message follows the File line and its code line, up to the blank line before "During".
      const from = fileIndex + 2;
      const to = index - 1;
      const causeText = from <= to ? lines.slice(from, to).join('\n') : '';
      const colon = causeText.indexOf(':');
      if (colon < 0) return;
      const causeMessage = colon + 2 <= causeText.length ? causeText.slice(colon + 2) : '';
      exception = chain(exceptions, exception, causeText.slice(0, colon), causeMessage);
      index = fileIndex;
      line = lines[index];
      continue;
    }
    index--;
    if (index < 0) break;
    line = lines[index];
  }
}

const JS_FRAME_PREFIX = '    at ';

/**
 * JavaScript (V8): `    at label (path:line:column)` or `    at path:line:column`. This is the
 * stack of every Node.js exception (`nodejs`), so the lines are walked by index instead of split:
 * only the label and path of each frame are allocated. Line semantics as {@link readLines}.
 */
function fillJavaScriptStacktrace(
  stacktrace: string,
  exceptions: Exception[],
  start: number,
  nodeStackFrames: boolean,
): void {
  const exception = exceptions[start];
  const length = stacktrace.length;
  const firstBreak = stacktrace.indexOf('\n'); // the first line is the exception header
  if (firstBreak < 0) return;
  let lineStart = firstBreak + 1;
  while (lineStart < length) {
    let lineEnd = stacktrace.indexOf('\n', lineStart);
    const next = lineEnd < 0 ? length : lineEnd + 1;
    if (lineEnd < 0) lineEnd = length;
    if (lineEnd > lineStart && stacktrace.charCodeAt(lineEnd - 1) === 13 /* \r */) lineEnd--;
    if (stacktrace.startsWith(JS_FRAME_PREFIX, lineStart)) {
      if (nodeStackFrames)
        addNodeFrame(exception, stacktrace.slice(lineStart + JS_FRAME_PREFIX.length, lineEnd));
      else addJavaScriptFrame(exception, stacktrace, lineStart + JS_FRAME_PREFIX.length, lineEnd);
    }
    lineStart = next;
  }
}

const ASYNC_PREFIX = 'async ';
const FILE_URL_PREFIX = 'file://';

/**
 * One `    at …` line as Node.js writes it (option `nodeStackFrames`): `label (location)` or
 * `[async ]location`, location = `path:line:column` split from the right, since the path itself may
 * hold colons (`file:///app/x.mjs`, `node:internal/…`, `C:\app\x.js`). A `file://` URL becomes its
 * path. `native`, `<anonymous>`, `index 0` locations keep the collector's reading (line 0).
 */
function addNodeFrame(exception: Exception, line: string): void {
  let label = '';
  let location = line;
  const paren = line.indexOf('(');
  if (paren >= 0) {
    if (line.charCodeAt(line.length - 1) !== 41 /* ) */) return; // `(` without a closing `)`: no frame
    label = line.slice(0, paren).trimEnd();
    location = line.slice(paren + 1, -1);
  } else if (line.startsWith(ASYNC_PREFIX)) {
    label = 'async';
    location = line.slice(ASYNC_PREFIX.length);
  }
  let path = location;
  let lineNumber = 0;
  const columnColon = location.lastIndexOf(':');
  const lineColon = columnColon > 0 ? location.lastIndexOf(':', columnColon - 1) : -1;
  if (
    lineColon >= 0 &&
    isDigits(location, lineColon + 1, columnColon) &&
    isDigits(location, columnColon + 1, location.length)
  ) {
    path = location.slice(0, lineColon);
    lineNumber = atoiRange(location, lineColon + 1, columnColon);
  } else if (location.indexOf(':') < 0 && location.indexOf('native') >= 0) {
    path = 'native';
  }
  if (path.startsWith(FILE_URL_PREFIX)) {
    try {
      path = decodeURIComponent(path.slice(FILE_URL_PREFIX.length).replace(/^\/\/[^/]*/, ''));
    } catch {
      path = path.slice(FILE_URL_PREFIX.length);
    }
  }
  if (label.length > 0 || path.length > 0 || lineNumber !== 0) addFrame(exception, path, lineNumber, label);
}

function isDigits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One `    at …` line, `text[from, to)` being what follows `    at `. */
function addJavaScriptFrame(exception: Exception, text: string, from: number, to: number): void {
  let label = '';
  let pathStart = from;
  let pathEnd = to;
  const paren = text.indexOf('(', from);
  if (paren >= 0 && paren < to) {
    if (text.charCodeAt(to - 1) !== 41 /* ) */) return; // `(` without a closing `)`: no frame
    label = text.slice(from, paren); // keeps the space before '('
    pathStart = paren + 1;
    pathEnd = to - 1;
  }
  let path: string;
  let lineNumber = 0;
  const firstColon = indexIn(text, 58 /* : */, pathStart, pathEnd);
  const secondColon = firstColon >= 0 ? indexIn(text, 58, firstColon + 1, pathEnd) : -1;
  if (secondColon >= 0) {
    lineNumber = atoiRange(text, firstColon + 1, secondColon); // the column is ignored
    path = text.slice(pathStart, firstColon);
  } else {
    path = text.slice(pathStart, pathEnd);
    if (firstColon < 0 && path.indexOf('native') >= 0) path = 'native';
  }
  // Go appends the frame when any value is not its zero value (a negative line counts).
  if (label.length > 0 || path.length > 0 || lineNumber !== 0) addFrame(exception, path, lineNumber, label);
}

/** Index of the character `code` in `text[from, to)`, else -1. */
function indexIn(text: string, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** .NET: `at Label in path:line N` or `at Label(...)`; inner-exception markers ignored. */
function fillDotnetStacktrace(stacktrace: string, exceptions: Exception[], start: number): void {
  const lines = readLines(stacktrace);
  const exception = exceptions[start];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line.startsWith('at ')) continue;
    const inIndex = line.indexOf(' in ');
    if (inIndex >= 0) {
      const pieces = line.split(' in ');
      const label = pieces[0].slice(3);
      let path = pieces[1];
      let lineNumber = 0;
      const colon = path.lastIndexOf(':');
      if (colon >= 0) {
        let lineText = path.slice(colon + 1);
        if (lineText.startsWith('line')) lineText = lineText.slice(5);
        path = path.slice(0, colon);
        lineNumber = atoi(lineText);
      }
      addFrame(exception, path, lineNumber, label);
    } else {
      const close = line.lastIndexOf(')');
      if (close >= 0) addFrame(exception, '', 0, line.slice(3, close + 1));
    }
  }
}

const GO_GOROUTINE_LINE = /^goroutine.*\brunning\b.*:$/;
const GO_PATH_LINE = /([^:\s]+):(\d+)/;

/** Go: label line + `path:line` line pairs; `goroutine N [running]:` headers skipped. */
function fillGoStacktrace(stacktrace: string, exceptions: Exception[], start: number): void {
  const lines = readLines(stacktrace);
  if (lines.length < 2) return;
  const exception = exceptions[start];
  let path = '';
  let lineNumber = 0;
  let i = 1;
  let line = lines[1];
  for (;;) {
    if (GO_GOROUTINE_LINE.test(line)) {
      i++;
      line = i < lines.length ? lines[i] : '';
    }
    const label = line;
    i++;
    line = i < lines.length ? lines[i] : '';
    const match = GO_PATH_LINE.exec(line);
    if (match !== null) {
      path = match[1];
      lineNumber = atoi(match[2]);
    }
    addFrame(exception, path, lineNumber, label);
    i++;
    if (i >= lines.length) break;
    line = lines[i];
  }
}
