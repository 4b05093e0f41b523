// How the viewer writes times, durations, values and X-Ray's status flags.

export function formatMs(seconds) {
  if (typeof seconds !== 'number' || !isFinite(seconds)) return '–';
  const ms = seconds * 1000;
  if (ms < 10) return ms.toFixed(2) + ' ms';
  if (ms < 100) return ms.toFixed(1) + ' ms';
  return Math.round(ms).toLocaleString('en-US') + ' ms';
}

export function formatClock(epochSeconds) {
  const date = new Date(epochSeconds * 1000);
  if (isNaN(date.getTime())) return '–';
  const pad = (n, width) => String(n).padStart(width || 2, '0');
  return (
    pad(date.getHours()) +
    ':' +
    pad(date.getMinutes()) +
    ':' +
    pad(date.getSeconds()) +
    '.' +
    pad(date.getMilliseconds(), 3)
  );
}

export function formatIso(epochSeconds) {
  const date = new Date(epochSeconds * 1000);
  return isNaN(date.getTime()) ? String(epochSeconds) : date.toISOString();
}

export function formatValue(value) {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** X-Ray's meaning of the flags, worst first: a fault (5xx) wins over a throttle (429) over an error (4xx). */
export function statusOf(flags) {
  if (!flags) return 'ok';
  if (flags.fault) return 'fault';
  if (flags.throttle) return 'throttle';
  if (flags.error) return 'error';
  return 'ok';
}

export function statusOfRates(stats) {
  if (!stats || !stats.requests) return 'ok';
  return statusOf({
    fault: stats.faultRate > 0,
    throttle: stats.throttleRate > 0,
    error: stats.errorRate > 0,
  });
}
