// The rejected documents: when, from where, the reason and its detail, and the sample kept.
import { append, byId, clear, el } from './dom.js';
import { formatClock } from './format.js';

export function renderRejected(rejected) {
  const body = byId('rejected-list').tBodies[0];
  clear(body);
  for (const rejection of rejected) {
    const sample = String(rejection.sample || '');
    append(
      body,
      el('tr', { dataset: { reason: String(rejection.reason) } }, [
        el('td', { className: 'time' }, formatClock(rejection.receivedAt / 1000)),
        el('td', null, String(rejection.source)),
        el('td', { className: 'reason' }, String(rejection.reason)),
        el('td', { className: 'detail' }, String(rejection.detail)),
        el(
          'td',
          { className: 'sample' },
          el('details', null, [
            el('summary', null, sample.slice(0, 80) || '(empty)'),
            el('pre', null, sample),
          ]),
        ),
      ]),
    );
  }
  byId('rejected-empty').hidden = rejected.length > 0;
}
