/* global window */
// xray-local viewer: browser ES modules, no build step. This entry module wires the parts and polls
// the JSON API every 2 s: counters (stats.js), service map (map.js), trace list and filter box
// (traces.js), the open trace's timeline and details (trace.js, timeline.js, details.js), and the
// rejected documents (rejected.js); api.js is the API client, state.js what they share.
//
// Every piece of span-derived text reaches the page through textContent / createTextNode (dom.js),
// or as a Cytoscape label, which is drawn on a canvas: never through innerHTML. The server's content
// security policy (`default-src 'self'`) is the second line of defence.
import { getRejected, getServiceMap, getStats } from './api.js';
import { byId } from './dom.js';
import { reportOffline, setConnection } from './connection.js';
import { formatClock } from './format.js';
import { getCy, initMap, renderMap } from './map.js';
import { renderRejected } from './rejected.js';
import { state } from './state.js';
import { renderStats } from './stats.js';
import { timelineRows } from './timeline.js';
import { closeTrace, openTrace, refreshTrace } from './trace.js';
import { filterByService, initTraceList, isTyping, refreshTraces } from './traces.js';

const POLL_MS = 2000;
const REJECTED_LIMIT = 50;

async function refreshAll() {
  const [stats, map, rejected] = await Promise.all([
    getStats(),
    getServiceMap(),
    getRejected(REJECTED_LIMIT),
    refreshTraces(),
    refreshTrace(),
  ]);
  if (stats.ok && stats.body) renderStats(stats.body);
  if (map.ok && map.body) renderMap(map.body);
  if (rejected.ok && rejected.body) renderRejected(rejected.body.rejected || []);
  state.online = true;
  state.refreshCount++;
  setConnection('live', 'live · updated ' + formatClock(Date.now() / 1000).slice(0, 8));
}

/** One refresh at a time; returns the one under way if there is one. */
function refresh() {
  if (!state.inFlight) {
    state.inFlight = refreshAll()
      .catch(reportOffline)
      .finally(() => {
        state.inFlight = undefined;
      });
  }
  return state.inFlight;
}

function schedule() {
  state.timer = window.setTimeout(async () => {
    if (isTyping()) {
      setConnection('paused', 'paused while you type');
    } else {
      await refresh();
    }
    schedule();
  }, POLL_MS);
}

initTraceList(openTrace);
byId('trace-close').addEventListener('click', closeTrace);
initMap(filterByService);
// For tests and for poking around in the devtools console.
window.__xrayLocal = {
  get cy() {
    return getCy();
  },
  state,
  refresh,
  timelineRows,
};
refresh().then(schedule);
