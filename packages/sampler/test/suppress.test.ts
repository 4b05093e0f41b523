import * as assert from 'node:assert/strict';
// The namespace import is read-only; patching needs the module object itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import http = require('node:http');
import { context } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { AWSXRayRemoteSampler } from '../src';
import { rule, startServer } from './helpers';

describe('calls to the proxy', () => {
  it('run with tracing suppressed (no spans from HTTP instrumentation)', async () => {
    const manager = new AsyncHooksContextManager().enable();
    context.setGlobalContextManager(manager);
    const original = http.request;
    const seen: boolean[] = [];
    (http as { request: unknown }).request = (...args: unknown[]) => {
      seen.push(isTracingSuppressed(context.active()));
      return (original as (...a: unknown[]) => http.ClientRequest)(...args);
    };
    const server = await startServer(() => ({ body: { SamplingRuleRecords: [rule('Default')] } }));
    const sampler = new AWSXRayRemoteSampler({ endpoint: server.url });
    try {
      assert.equal(await sampler.refreshRules(), true);
      assert.ok(seen.length >= 1);
      assert.ok(seen.every((s) => s));
      assert.equal(isTracingSuppressed(context.active()), false);
    } finally {
      (http as { request: unknown }).request = original;
      await sampler.shutdown();
      await server.close();
      context.disable();
    }
  });
});
