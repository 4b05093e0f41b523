/**
 * Redaction on the collector path (issue 11 item 5): the translator redacts what the daemon path
 * sends, but a collector's `awsxray` exporter (or the X-Ray OTLP endpoint) receives the span as the
 * SDK exports it. So the processor rewrites the span itself, with the one list `@xray-otel/core`
 * keeps: every attribute `redactAttribute` changes is overwritten with its masked value (captured
 * `authorization` / `cookie` / ... headers, `user:password@` and token query parameters in
 * `url.full`, `http.url`, `http.target`, `url.query`, `db.connection_string`), and the attributes it removes (the command
 * line: `process.command_args`, `process.command_line`, plus names added through the option or
 * `OTEL_AWS_XRAY_REDACT`) are deleted from the span's attributes object, so nothing of them is
 * exported. Resource attributes cannot be changed from a processor: `@xray-otel/register`'s default
 * resource carries no command line.
 */
import { REDACTED, isMaskableAttributeKey, redactAttribute, type RedactionRules } from '@xray-otel/core';

/** The part of a span redaction touches (`setAttribute` while it is writable). */
export interface RedactableSpan {
  readonly attributes: Record<string, unknown>;
  setAttribute?(key: string, value: never): unknown;
}

/**
 * Redacts `span`'s attributes in place. `direct`: write into the attributes object (a span that has
 * ended, whose `setAttribute` is closed) instead of calling `setAttribute`. Returns how many
 * attributes were masked or removed.
 */
export function redactSpanAttributes(span: RedactableSpan, rules: RedactionRules, direct: boolean): number {
  const attributes = span.attributes;
  let changed = 0;
  // Removed whole: a handful of listed keys, looked up rather than compared with every attribute.
  for (const key of rules.attributes) {
    if (attributes[key] === undefined || !Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    changed++;
    // A key that cannot be deleted (a frozen attributes object) is masked instead.
    if (!Reflect.deleteProperty(attributes, key)) write(span, key, REDACTED, direct);
  }
  for (const key in attributes) {
    if (!isMaskableAttributeKey(key) || !Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const value = attributes[key];
    const redacted = redactAttribute(key, value, rules);
    if (redacted === value) continue;
    changed++;
    write(span, key, redacted === undefined ? REDACTED : redacted, direct);
  }
  return changed;
}

function write(span: RedactableSpan, key: string, value: unknown, direct: boolean): void {
  if (direct || span.setAttribute === undefined) span.attributes[key] = value;
  else span.setAttribute(key, value as never);
}
