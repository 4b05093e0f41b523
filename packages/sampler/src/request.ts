// What a sampling rule is matched against: the span's HTTP attributes (old and stable semantic
// conventions) and the resource (service name, origin, ARN).
import type { Attributes } from '@opentelemetry/api';
import { makeOrigin } from '@xray-otel/translator';

export type ResourceAttributes = Record<string, unknown>;

/** The values a rule's fields are matched against; `undefined` = the span does not say. */
export interface SamplingRequest {
  serviceName?: string;
  serviceType?: string;
  resourceArn?: string;
  host?: string;
  httpMethod?: string;
  urlPath?: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The service type a rule's `ServiceType` is matched against: the segment origin the translator
 * writes for this resource (translator-spec §11.2, e.g. `AWS::ECS::Fargate` for a Fargate task), so
 * rules match what the X-Ray console shows; plus Lambda, which has no segment origin but is the
 * service type of Lambda rules.
 */
export function originOf(resource: ResourceAttributes): string | undefined {
  const origin = makeOrigin(resource);
  if (origin !== undefined) return origin;
  const provider = str(resource['cloud.provider']);
  if (provider !== undefined && provider !== 'aws') return undefined;
  return str(resource['cloud.platform']) === 'aws_lambda' ? 'AWS::Lambda::Function' : undefined;
}

/** The ARN of the resource the process runs on, when the resource attributes give it. */
export function resourceArnOf(resource: ResourceAttributes): string | undefined {
  const direct =
    str(resource['aws.ecs.container.arn']) ??
    str(resource['aws.ecs.task.arn']) ??
    str(resource['aws.eks.cluster.arn']) ??
    str(resource['faas.id']) ??
    str(resource['cloud.resource_id']);
  if (direct !== undefined) return direct;
  if (str(resource['cloud.platform']) === 'aws_ec2') {
    const region = str(resource['cloud.region']);
    const account = str(resource['cloud.account.id']);
    const id = str(resource['host.id']);
    if (region && account && id) return `arn:aws:ec2:${region}:${account}:instance/${id}`;
  }
  return undefined;
}

function parseUrl(url: string | undefined): { host: string; path: string } | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname };
  } catch {
    return undefined;
  }
}

function stripQuery(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  const q = target.search(/[?#]/);
  return q < 0 ? target : target.slice(0, q);
}

/** Per-span fields; the resource-derived ones come from {@link resourceRequest}. */
export function spanRequest(
  attributes: Attributes,
): Pick<SamplingRequest, 'host' | 'httpMethod' | 'urlPath'> {
  const method = str(attributes['http.request.method']) ?? str(attributes['http.method']);
  let path = str(attributes['url.path']) ?? stripQuery(str(attributes['http.target']));
  let host = str(attributes['server.address']) ?? str(attributes['http.host']);
  if (path === undefined || host === undefined) {
    const url = parseUrl(str(attributes['url.full']) ?? str(attributes['http.url']));
    if (url !== undefined) {
      path ??= url.path;
      host ??= url.host;
    }
  }
  return { host, httpMethod: method, urlPath: path };
}

export function resourceRequest(
  resource: ResourceAttributes,
): Pick<SamplingRequest, 'serviceName' | 'serviceType' | 'resourceArn'> {
  return {
    serviceName: str(resource['service.name']),
    serviceType: originOf(resource),
    resourceArn: resourceArnOf(resource),
  };
}
