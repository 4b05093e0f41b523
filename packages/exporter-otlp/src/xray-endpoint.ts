/**
 * The X-Ray OTLP endpoint: recognising it, reading the region from it, and building it for a region.
 *
 * X-Ray accepts OTLP/HTTP protobuf spans at `https://<host>/v1/traces`, signed with SigV4 for the
 * service `xray` (Transaction Search must be enabled in the account). The hosts are the X-Ray
 * service endpoints of https://docs.aws.amazon.com/general/latest/gr/xray.html:
 *
 * | partition        | host pattern                          | example                              |
 * | ---------------- | ------------------------------------- | ------------------------------------ |
 * | `aws`            | `xray.<region>.amazonaws.com`         | `xray.us-east-1.amazonaws.com`       |
 * | `aws` FIPS       | `xray-fips.<region>.amazonaws.com`    | `xray-fips.us-east-1.amazonaws.com`  |
 * | `aws-us-gov`     | `xray.us-gov-<dir>-<n>.amazonaws.com` | `xray.us-gov-west-1.amazonaws.com`   |
 * | `aws-us-gov` FIPS| `xray-fips.us-gov-<dir>-<n>.amazonaws.com` | `xray-fips.us-gov-west-1.amazonaws.com` |
 * | `aws-cn`         | `xray.<region>.amazonaws.com.cn`      | `xray.cn-north-1.amazonaws.com.cn`   |
 *
 * ADOT JS matches only `^https://xray\.([a-z0-9-]+)\.amazonaws\.com/v1/traces$`, so FIPS and China
 * endpoints fall back to the unsigned exporter there (spec/ecosystem.md §3.3). VPC interface
 * endpoints and proxies have hosts that do not name the region: give `region` explicitly for them.
 */

/** The OTLP traces path on X-Ray's endpoint. */
export const XRAY_OTLP_TRACES_PATH = '/v1/traces';

/** The SigV4 signing name of X-Ray. */
export const XRAY_SIGNING_SERVICE = 'xray';

/** An AWS region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`, `us-isob-east-1`. */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** `xray` or `xray-fips`, then the region, then the partition's DNS suffix. */
const XRAY_HOST = /^xray(-fips)?\.([a-z0-9-]+)\.(amazonaws\.com|amazonaws\.com\.cn)$/;

/** China regions (`cn-north-1`, `cn-northwest-1`) live under `amazonaws.com.cn`. */
function dnsSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

function parseUrl(url: string | URL): URL | undefined {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * The region named by an X-Ray service host (`xray.<region>.amazonaws.com[.cn]`, `xray-fips.…`),
 * or `undefined` when the URL is not an X-Ray host or its region does not belong to the host's
 * partition (a `cn-` region only under `.amazonaws.com.cn`, and no `cn-` region elsewhere).
 * The path is not checked here: see {@link isXRayOtlpEndpoint}.
 */
export function regionFromXRayEndpoint(url: string | URL): string | undefined {
  const parsed = parseUrl(url);
  if (parsed === undefined) return undefined;
  const match = XRAY_HOST.exec(parsed.hostname.toLowerCase());
  if (match === null) return undefined;
  const region = match[2];
  if (!REGION.test(region) || dnsSuffixOf(region) !== match[3]) return undefined;
  return region;
}

/**
 * True for `https://<X-Ray host>/v1/traces` (optionally with a trailing `/`), the URL the SigV4
 * exporter is meant for.
 */
export function isXRayOtlpEndpoint(url: string | URL): boolean {
  const parsed = parseUrl(url);
  if (parsed === undefined || parsed.protocol !== 'https:') return false;
  const path = parsed.pathname.endsWith('/') ? parsed.pathname.slice(0, -1) : parsed.pathname;
  return path === XRAY_OTLP_TRACES_PATH && regionFromXRayEndpoint(parsed) !== undefined;
}

/** Options of {@link xrayOtlpEndpoint}. */
export interface XRayOtlpEndpointOptions {
  /** Use the `xray-fips` host (offered in the US commercial and GovCloud regions). Default false. */
  fips?: boolean;
}

/**
 * The X-Ray OTLP traces URL of a region, in that region's partition:
 * `xrayOtlpEndpoint('us-east-1')` → `https://xray.us-east-1.amazonaws.com/v1/traces`,
 * `xrayOtlpEndpoint('cn-north-1')` → `https://xray.cn-north-1.amazonaws.com.cn/v1/traces`.
 * Throws on a string that is not a region name, so that a typo fails at construction.
 */
export function xrayOtlpEndpoint(region: string, options: XRayOtlpEndpointOptions = {}): string {
  if (!REGION.test(region)) {
    throw new Error(`Not an AWS region name: ${JSON.stringify(region)}`);
  }
  const service = options.fips === true ? 'xray-fips' : 'xray';
  return `https://${service}.${region}.${dnsSuffixOf(region)}${XRAY_OTLP_TRACES_PATH}`;
}
