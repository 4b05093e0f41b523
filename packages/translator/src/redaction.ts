/**
 * The `redact` option (README "Redaction"): with it on, span and resource attributes go through
 * @xray-otel/core's `redactAttributes` before translation, so every block, annotation and metadata
 * entry sees them masked, and the http `url` goes through core's `redactUrl`. The lists and the
 * masking rules live in core only, shared with the SDK-side span processor of the collector path.
 */
import { resolveRedaction, type RedactionRules } from '@xray-otel/core';
import type { TranslatorOptions } from './types';

type RedactOption = NonNullable<TranslatorOptions['redact']>;

// Resolved once per options object (the exporter passes the same one for every span); the option
// value is kept with the rules, so assigning another `redact` to the object takes effect.
const rulesByOptions = new WeakMap<object, { option: RedactOption; rules: RedactionRules | undefined }>();

/** The rules `options.redact` stands for; `undefined` = off (the default: collector-exact). */
export function redactionOf(options: TranslatorOptions): RedactionRules | undefined {
  const option = options.redact;
  if (option === undefined || option === false) return undefined;
  const cached = rulesByOptions.get(options);
  if (cached !== undefined && cached.option === option) return cached.rules;
  const rules = resolveRedaction(checked(option), false);
  rulesByOptions.set(options, { option, rules });
  return rules;
}

/**
 * The option as core expects it. A value of another shape (from JavaScript) counts as `true`:
 * redaction was asked for, so it fails closed rather than sending secrets.
 */
function checked(option: RedactOption): boolean | readonly string[] | RedactionRules {
  if (option === true) return true;
  if (Array.isArray(option)) return option.filter((name): name is string => typeof name === 'string');
  return isRules(option) ? option : true;
}

function isRules(value: unknown): value is RedactionRules {
  if (value === null || typeof value !== 'object') return false;
  const rules = value as Partial<Record<keyof RedactionRules, unknown>>;
  return hasSet(rules.headers) && hasSet(rules.queryParameters) && hasSet(rules.attributes);
}

function hasSet(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as Set<string>).has === 'function';
}
