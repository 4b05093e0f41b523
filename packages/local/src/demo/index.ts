/**
 * `xray-local demo`, by concern: arguments (args.ts), the sample services (services.ts), their
 * processes (supervise.ts), what is printed (render.ts), and the run that wires them (run.ts).
 */
export { runDemo, defaultRuntime, type DemoRuntime } from './run';
export { parseDemoArgs, DEMO_USAGE, DemoUsageError, type DemoOptions } from './args';
export { DEMO_SERVICES, type DemoService } from './services';
