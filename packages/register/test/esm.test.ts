import * as assert from 'node:assert/strict';
import { registerEsmHook, resolveHookUrl } from '../src/esm';
import { captureDiag } from './diag-capture';

describe('register ESM hook', () => {
  it('resolves @opentelemetry/instrumentation/hook.mjs to a file URL', () => {
    assert.match(resolveHookUrl() ?? '', /^file:\/\/.*@opentelemetry\/instrumentation\/hook\.mjs$/);
  });

  it('tries the next place when one fails, undefined when all fail', () => {
    const fail = (): string => {
      throw new Error('not here');
    };
    assert.equal(resolveHookUrl([fail, () => '/x/hook.mjs']), 'file:///x/hook.mjs');
    assert.equal(resolveHookUrl([fail]), undefined);
  });

  it('registers the hook with the parent URL', () => {
    const calls: string[][] = [];
    assert.equal(
      registerEsmHook({}, 'file:///app/', (s, p) => calls.push([s, p]), 'file:///hook.mjs'),
      true,
    );
    assert.deepEqual(calls, [['file:///hook.mjs', 'file:///app/']]);
  });

  it('does nothing when OTEL_SDK_DISABLED=true', () => {
    let called = false;
    const register = (): void => {
      called = true;
    };
    assert.equal(
      registerEsmHook({ OTEL_SDK_DISABLED: 'true' }, 'file:///app/', register, 'file:///h.mjs'),
      false,
    );
    assert.equal(called, false);
  });

  it('reports (never throws) when the hook cannot be registered', () => {
    const cases: [Parameters<typeof registerEsmHook>[2], string | undefined, RegExp][] = [
      [
        null as unknown as Parameters<typeof registerEsmHook>[2],
        'file:///h.mjs',
        /module\.register\(\) needs Node\.js/,
      ],
      [() => undefined, '', /cannot resolve @opentelemetry\/instrumentation\/hook\.mjs/],
      [
        () => {
          throw 'refused';
        },
        'file:///h.mjs',
        /refused/,
      ],
    ];
    for (const [register, url, expected] of cases) {
      const { result, messages } = captureDiag(() => registerEsmHook({}, 'file:///app/', register, url));
      assert.equal(result, false);
      assert.match(messages[0], /^error: @xray-otel\/register: ES modules will not be instrumented: /);
      assert.match(messages[0], expected);
    }
  });
});
