export { AWSXRayIdGenerator } from './id-generator';
export type { IdGenerator } from './id-generator';
