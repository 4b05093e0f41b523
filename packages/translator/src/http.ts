/**
 * The `http` block (translator-spec.md §8). One pass over the span attributes: every HTTP, URL and
 * network key is consumed (added to `consumed`) even when no block results, like the collector.
 *
 * Deviation: `response.content_length` also comes from the response-size attributes instrumentations
 * set (the collector keeps 0 unless a messaging payload size is found, §8.1). See {@link responseSize}.
 *
 * Deviation (option `awsSdkConventions`): on an AWS SDK call to SQS, `url.full` is the queue URL
 * the instrumentation records (the aws block's `queue_url`), not the URL of an HTTP request: it
 * makes no `url` (the classic X-Ray SDK's AWS subsegments carry only the response status).
 */
import {
  CLIENT_ADDRESS,
  HOST_NAME,
  HTTP_CLIENT_IP,
  HTTP_HOST,
  HTTP_METHOD,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_BODY_SIZE,
  HTTP_RESPONSE_CONTENT_LENGTH,
  HTTP_RESPONSE_CONTENT_LENGTH_UNCOMPRESSED,
  HTTP_RESPONSE_HEADER_CONTENT_LENGTH,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_SCHEME,
  HTTP_SERVER_NAME,
  HTTP_STATUS_CODE,
  HTTP_TARGET,
  HTTP_URL,
  HTTP_USER_AGENT,
  KIND_SERVER,
  MESSAGE_TYPE,
  MESSAGE_TYPE_RECEIVED,
  MESSAGING_PAYLOAD_SIZE,
  NET_HOST_NAME,
  NET_HOST_PORT,
  NET_PEER_IP,
  NET_PEER_NAME,
  NET_PEER_PORT,
  NETWORK_PEER_ADDRESS,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_FULL,
  URL_PATH,
  URL_QUERY,
  URL_SCHEME,
  USER_AGENT_ORIGINAL,
} from './constants';
import { redactUrl, type RedactionRules } from '@xray-otel/core';
import type { Http, HttpRequest, HttpResponse } from './document';
import type { AttributesLike, SpanEventLike } from './types';
import { atoi, int, isArray, isIPAddress, str } from './values';

/** The URL pieces the collector keeps in its `urlParts` map; `undefined` = attribute absent. */
interface UrlParts {
  fullUrl?: string;
  scheme?: string;
  httpHost?: string;
  target?: string;
  serverName?: string;
  netHostName?: string;
  hostName?: string;
  netHostPort?: string;
  serverAddress?: string;
  serverPort?: string;
  netPeerName?: string;
  netPeerPort?: string;
  netPeerIp?: string;
  path?: string;
  query?: string;
}

/** A port: a non-empty string as is, else the integer formatted (`"0"` for any other type), like Go. */
function port(value: unknown): string {
  const text = str(value);
  return text.length > 0 ? text : String(int(value));
}

export function makeHttp(
  kind: number,
  attributes: AttributesLike,
  events: readonly SpanEventLike[] | undefined,
  consumed: Set<string>,
  redaction: RedactionRules | undefined,
  urlFullIsQueueUrl: boolean,
): Http | undefined {
  let hasHttp = false;
  let hasUrlSource = false;
  let hasPeerAddress = false;
  let method: string | undefined;
  let clientIp: string | undefined;
  let userAgent: string | undefined;
  let status: number | undefined;
  // Response sizes, by preference; read in the same pass, used only when the messaging rule finds none.
  let bodySize: unknown;
  let contentLength: unknown;
  let uncompressedLength: unknown;
  const parts: UrlParts = {};

  for (const key in attributes) {
    const value = attributes[key];
    switch (key) {
      case HTTP_METHOD:
      case HTTP_REQUEST_METHOD:
        method = str(value);
        hasHttp = true;
        break;
      case HTTP_CLIENT_IP:
        clientIp = str(value);
        hasHttp = true;
        break;
      case HTTP_USER_AGENT:
      case USER_AGENT_ORIGINAL:
        userAgent = str(value);
        hasHttp = true;
        break;
      case HTTP_STATUS_CODE:
      case HTTP_RESPONSE_STATUS_CODE:
        status = int(value);
        hasHttp = true;
        break;
      case HTTP_URL:
      case URL_FULL:
        if (urlFullIsQueueUrl && key === URL_FULL) continue; // the aws block's queue_url
        parts.fullUrl = str(value);
        hasHttp = true;
        hasUrlSource = true;
        break;
      case HTTP_SCHEME:
      case URL_SCHEME:
        parts.scheme = str(value);
        hasHttp = true;
        break;
      case HTTP_HOST:
        parts.httpHost = str(value);
        hasHttp = true;
        hasUrlSource = true;
        break;
      case HTTP_TARGET:
        parts.target = str(value);
        hasHttp = true;
        break;
      case HTTP_SERVER_NAME:
        parts.serverName = str(value);
        hasHttp = true;
        hasUrlSource = true;
        break;
      case NET_HOST_PORT:
        parts.netHostPort = port(value);
        hasHttp = true;
        break;
      case HOST_NAME:
        parts.hostName = str(value);
        hasUrlSource = true;
        break;
      case NET_HOST_NAME:
        parts.netHostName = str(value);
        hasUrlSource = true;
        break;
      case NET_PEER_NAME:
        parts.netPeerName = str(value);
        hasUrlSource = true;
        break;
      case NET_PEER_PORT:
        parts.netPeerPort = port(value);
        break;
      case NET_PEER_IP:
        // Forwarded information (http.client_ip, client.address) wins; see the precedence below.
        parts.netPeerIp = str(value);
        hasPeerAddress = true;
        hasUrlSource = true;
        break;
      case NETWORK_PEER_ADDRESS: {
        const address = str(value);
        if (isIPAddress(address)) {
          hasPeerAddress = true;
          hasUrlSource = true;
        }
        break;
      }
      case CLIENT_ADDRESS:
        break; // resolved below, after http.client_ip
      case URL_PATH:
        parts.path = str(value);
        hasHttp = true;
        break;
      case URL_QUERY:
        parts.query = str(value);
        hasHttp = true;
        break;
      case SERVER_ADDRESS:
        parts.serverAddress = str(value);
        hasUrlSource = true;
        break;
      case SERVER_PORT:
        parts.serverPort = port(value);
        break;
      // Mapped to response.content_length, so consumed like the other HTTP keys (they do not make
      // an http block on their own).
      case HTTP_RESPONSE_BODY_SIZE:
        bodySize = value;
        break;
      case HTTP_RESPONSE_CONTENT_LENGTH:
        contentLength = value;
        break;
      case HTTP_RESPONSE_CONTENT_LENGTH_UNCOMPRESSED:
        uncompressedLength = value;
        break;
      default:
        continue;
    }
    consumed.add(key);
  }

  if (!hasHttp) return undefined;

  // client_ip: a valid-IP client.address or http.client_ip wins (between the two the later
  // attribute wins); net.peer.ip / an IP network.peer.address only fill it when still empty (§8.1).
  if (consumed.has(CLIENT_ADDRESS)) {
    const address = str(attributes[CLIENT_ADDRESS]);
    if (isIPAddress(address) && !(clientIp !== undefined && clientAddressBeforeClientIp(attributes))) {
      clientIp = address;
    }
  }
  if (clientIp === undefined && parts.netPeerIp !== undefined) clientIp = parts.netPeerIp;
  if (clientIp === undefined && consumed.has(NETWORK_PEER_ADDRESS)) {
    const address = str(attributes[NETWORK_PEER_ADDRESS]);
    if (isIPAddress(address)) clientIp = address;
  }

  const request: HttpRequest = {};
  if (clientIp !== undefined && !hasPeerAddress) request.x_forwarded_for = true;
  if (method !== undefined) request.method = method;
  if (hasUrlSource)
    request.url = kind === KIND_SERVER ? serverUrl(parts, redaction) : clientUrl(parts, redaction);
  if (userAgent !== undefined) request.user_agent = userAgent;
  if (clientIp !== undefined) request.client_ip = clientIp;
  // content_length is always emitted (no omitempty in the collector's model), 0 when unknown.
  let size = responseSize(attributes, events);
  if (size === 0) {
    size = byteCount(bodySize);
    if (size === 0) size = byteCount(contentLength);
    if (size === 0) size = byteCount(uncompressedLength);
    if (size === 0) size = byteCount(attributes[HTTP_RESPONSE_HEADER_CONTENT_LENGTH]);
  }
  const response: HttpResponse =
    status !== undefined ? { status, content_length: size } : { content_length: size };
  return { request, response };
}

/**
 * A response size: a non-negative integer, a decimal string, or (a captured header) the first
 * element of an array of those; 0 for anything else. Sizes are integers on the wire, but a header
 * value is text and some instrumentations record numbers as strings.
 */
function byteCount(value: unknown): number {
  if (Array.isArray(value)) value = value.length > 0 ? (value as unknown[])[0] : undefined;
  const size = typeof value === 'string' ? atoi(value.trim()) : int(value);
  return size > 0 ? size : 0;
}

function clientAddressBeforeClientIp(attributes: AttributesLike): boolean {
  for (const key in attributes) {
    if (key === CLIENT_ADDRESS) return true;
    if (key === HTTP_CLIENT_IP) return false;
  }
  return false;
}

/**
 * §8.1: the first non-zero `messaging.message_payload_size_bytes` of a RECEIVED message: the
 * collector's only source, so it is looked at first. Only when it finds nothing, our deviation reads
 * the HTTP response size, in this order: `http.response.body.size` (stable semantic conventions),
 * `http.response_content_length` (old, the size on the wire), `http.response_content_length_uncompressed`
 * (old, set when the response is not compressed), then the captured `Content-Length` response header
 * (OpenTelemetry JS `instrumentation-http` 0.2xx sets no size attribute; with `headersToSpanAttributes`
 * it records `http.response.header.content-length`). The header attribute is read, not consumed: a
 * captured header stays in metadata like every other.
 */
function responseSize(attributes: AttributesLike, events: readonly SpanEventLike[] | undefined): number {
  let size = receivedSize(attributes);
  if (size !== 0 || !isArray(events)) return size;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event == null || event.attributes == null) continue;
    size = receivedSize(event.attributes);
    if (size !== 0) return size;
  }
  return 0;
}

function receivedSize(attributes: AttributesLike): number {
  return attributes[MESSAGE_TYPE] === MESSAGE_TYPE_RECEIVED ? int(attributes[MESSAGING_PAYLOAD_SIZE]) : 0;
}

function withPort(url: string, scheme: string, portText: string | undefined): string {
  if (portText === undefined || portText.length === 0) return url;
  if ((scheme === 'http' && portText === '80') || (scheme === 'https' && portText === '443')) return url;
  return url + ':' + portText;
}

/**
 * `url` (scheme, host, port) with the path. With redaction on, every piece of the URL goes through
 * core's rules once: `url.full` / `http.url`, `http.target` and `url.query` were redacted as
 * attributes already (viewOf), and what is assembled here from the other attributes (a host with
 * `user:password@`, a `url.path` with a query) goes through `redactUrl` before the redacted target
 * or query is appended, so a query is not parsed twice.
 */
function withPath(url: string, parts: UrlParts, redaction: RedactionRules | undefined): string {
  if (parts.target !== undefined) return redacted(url, redaction) + parts.target;
  url = redacted(url + (parts.path !== undefined ? parts.path : '/'), redaction);
  const query = parts.query;
  if (query !== undefined) url += query.charCodeAt(0) === 63 /* ? */ ? query : '?' + query;
  return url;
}

function redacted(url: string, redaction: RedactionRules | undefined): string {
  return redaction !== undefined ? redactUrl(url, redaction) : url;
}

/** §8.2, SERVER spans. A full URL attribute is used as it is (redacted as an attribute, see withPath). */
function serverUrl(parts: UrlParts, redaction: RedactionRules | undefined): string {
  if (parts.fullUrl !== undefined) return parts.fullUrl;
  const scheme = parts.scheme !== undefined ? parts.scheme : 'http';
  let url: string;
  if (parts.httpHost !== undefined) {
    url = scheme + '://' + parts.httpHost;
  } else {
    const host = parts.serverName ?? parts.netHostName ?? parts.hostName ?? parts.serverAddress ?? '';
    url = withPort(scheme + '://' + host, scheme, parts.netHostPort ?? parts.serverPort);
  }
  return withPath(url, parts, redaction);
}

/** §8.2, every other kind. `server.port` is deliberately not used (collector behaviour). */
function clientUrl(parts: UrlParts, redaction: RedactionRules | undefined): string {
  if (parts.fullUrl !== undefined) return parts.fullUrl;
  const scheme = parts.scheme !== undefined ? parts.scheme : 'http';
  let url: string;
  if (parts.httpHost !== undefined) {
    url = scheme + '://' + parts.httpHost;
  } else {
    const host = parts.netPeerName ?? parts.netPeerIp ?? parts.serverAddress ?? '';
    url = withPort(scheme + '://' + host, scheme, parts.netPeerPort);
  }
  return withPath(url, parts, redaction);
}
