// The connection badge in the header: live (with the time of the last update), paused while the
// user types a filter, or offline with the reason.
import { byId } from './dom.js';
import { state } from './state.js';

export function setConnection(kind, text) {
  const box = byId('connection');
  box.className = 'connection ' + kind;
  box.textContent = text;
}

export function reportOffline(error) {
  state.online = false;
  setConnection('offline', 'offline: ' + (error && error.message ? error.message : 'API unreachable'));
}
