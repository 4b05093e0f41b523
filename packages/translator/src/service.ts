/** `service` and `origin` (translator-spec.md §11.1, §11.2): resource-only, on subsegments too. */
import {
  AWS_ECS_LAUNCH_TYPE,
  CLOUD_PLATFORM,
  CONTAINER_IMAGE_TAG,
  LAUNCH_TYPE_EC2,
  LAUNCH_TYPE_FARGATE,
  ORIGIN_APP_RUNNER,
  ORIGIN_EC2,
  ORIGIN_ECS,
  ORIGIN_ECS_EC2,
  ORIGIN_ECS_FARGATE,
  ORIGIN_EKS,
  ORIGIN_ELASTIC_BEANSTALK,
  PLATFORM_APP_RUNNER,
  PLATFORM_EC2,
  PLATFORM_ECS,
  PLATFORM_EKS,
  PLATFORM_ELASTIC_BEANSTALK,
  SERVICE_VERSION,
} from './constants';
import { isNonAwsProvider } from './aws';
import type { ServiceData } from './document';
import type { AttributesLike } from './types';
import { has, str } from './values';

/** `service.version`, else `container.image.tag`; no block when neither attribute exists. */
export function makeService(resourceAttributes: AttributesLike): ServiceData | undefined {
  if (has(resourceAttributes, SERVICE_VERSION)) return { version: str(resourceAttributes[SERVICE_VERSION]) };
  if (has(resourceAttributes, CONTAINER_IMAGE_TAG))
    return { version: str(resourceAttributes[CONTAINER_IMAGE_TAG]) };
  return undefined;
}

/** Only `cloud.platform` decides (there is no Lambda origin); none for a non-AWS provider. */
export function makeOrigin(resourceAttributes: AttributesLike): string | undefined {
  if (isNonAwsProvider(resourceAttributes)) return undefined;
  switch (str(resourceAttributes[CLOUD_PLATFORM])) {
    case PLATFORM_APP_RUNNER:
      return ORIGIN_APP_RUNNER;
    case PLATFORM_EKS:
      return ORIGIN_EKS;
    case PLATFORM_ELASTIC_BEANSTALK:
      return ORIGIN_ELASTIC_BEANSTALK;
    case PLATFORM_ECS:
      switch (str(resourceAttributes[AWS_ECS_LAUNCH_TYPE])) {
        case LAUNCH_TYPE_EC2:
          return ORIGIN_ECS_EC2;
        case LAUNCH_TYPE_FARGATE:
          return ORIGIN_ECS_FARGATE;
        default:
          return ORIGIN_ECS;
      }
    case PLATFORM_EC2:
      return ORIGIN_EC2;
    default:
      return undefined;
  }
}
