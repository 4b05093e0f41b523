/**
 * `xray-local demo`, by concern: arguments (args.ts), the sample services (services.ts), their
 * processes (supervise.ts), what is printed (render.ts), and the run that wires them (run.ts).
 */
export * from './args';
export * from './services';
export * from './supervise';
export * from './render';
export * from './run';
