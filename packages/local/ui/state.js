// What the viewer shows and remembers between polls, shared by its modules (and read by the
// real-browser test through window.__xrayLocal.state).
export const state = {
  // trace list and filter box (traces.js)
  appliedFilter: '',
  traces: [],
  lastInputAt: 0,
  // the open trace (trace.js, timeline.js, details.js)
  selectedTraceId: undefined,
  trace: undefined,
  traceKey: '',
  selectedDocId: undefined,
  // service map (map.js)
  mapKey: '',
  mapStructureKey: '',
  // polling (app.js)
  online: true,
  refreshCount: 0,
  timer: undefined,
  inFlight: undefined,
};
