// `node -r @xray-otel/register app.js`: starts OpenTelemetry for AWS X-Ray (loading this module is
// the side effect). For your own NodeSDK, use the side-effect-free `@xray-otel/register/config`.
import { startOnce } from './start';

startOnce();
