// The counters in the header and the rejection reasons above the rejected documents.
import { append, byId, clear, el } from './dom.js';

export function renderStats(stats) {
  const box = byId('stats');
  clear(box);
  const items = [
    ['received', stats.received],
    ['accepted', stats.accepted],
    ['rejected', stats.rejected, stats.rejected > 0],
    ['evicted', stats.evicted, stats.evicted > 0],
    ['traces', stats.traces],
    ['documents', stats.documents],
  ];
  for (const [name, value, warn] of items) {
    append(
      box,
      el('span', { className: 'stat' + (warn ? ' warn' : ''), dataset: { stat: name } }, [
        name + ' ',
        el('span', { className: 'stat-value' }, String(value === undefined ? '–' : value)),
      ]),
    );
  }
  const reasons = Object.entries(stats.rejectedByReason || {})
    .map(([reason, count]) => reason + ': ' + count)
    .join(' · ');
  byId('rejected-reasons').textContent = reasons;
}
