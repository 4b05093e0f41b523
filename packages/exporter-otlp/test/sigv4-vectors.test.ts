/**
 * Our SigV4 transport (`SigV4HttpTransport`, src/sigv4.ts) against AWS's published SigV4 test suite
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-test-suite.html,
 * "aws-sig-v4-test-suite"): the suite's requests, credentials (AKIDEXAMPLE), date
 * (2015-08-30T12:36:00Z, through the transport's `now` option), region and service, sent by the
 * transport over real HTTP to a server on 127.0.0.1 that records what arrives.
 *
 * The transport cannot send the suite's requests byte for byte: it always POSTs and always signs
 * `content-type: application/x-protobuf`, `content-length` and `x-amz-content-sha256` (as the AWS
 * SDKs do), which the suite's requests do not carry, so the suite's own Authorization value cannot
 * come out of it. What is checked instead, in two steps:
 *  1. a reference signer written here from the suite's documented steps (node:crypto only, not the
 *     library the transport uses) reproduces the suite's expected canonical request, string to sign
 *     and Authorization for every vector;
 *  2. for each vector, the request that arrived has the suite's `X-Amz-Date`, credential scope,
 *     path, query and body; its canonical request is the suite's plus exactly the transport's own
 *     headers; and its `Authorization` is the one the reference signer computes from what arrived
 *     (what X-Ray does on receipt). A wrong key, date, region, service or body does not verify.
 */
import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { SigV4HttpTransport, type AwsCredentials } from '../src/sigv4';

const CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
/** The session token of the suite's post-sts-token vectors. */
const SUITE_TOKEN =
  'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
const DATE = new Date('2015-08-30T12:36:00Z');
const AMZ_DATE = '20150830T123600Z';
const REGION = 'us-east-1';
const SERVICE = 'service';
const HOST = 'example.amazonaws.com';
const SCOPE = `20150830/${REGION}/${SERVICE}/aws4_request`;
const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

interface SuiteVector {
  name: string;
  method: string;
  /** Path and query as the suite writes the request line. */
  target: string;
  /** The suite's request headers (lower-case names), X-Amz-Date excluded. */
  headers: Record<string, string>;
  body: string;
  sessionToken?: string;
  /** The suite's expected values (its .creq, .sts and .authz files). */
  canonicalRequest: string;
  stringToSignHash: string;
  signedHeaders: string;
  signature: string;
}

const VECTORS: SuiteVector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    target: '/',
    headers: { host: HOST },
    body: '',
    canonicalRequest: `GET\n/\n\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: 'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    target: '/?Param2=value2&Param1=value1',
    headers: { host: HOST },
    body: '',
    canonicalRequest: `GET\n/\nParam1=value1&Param2=value2\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: '816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0',
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    target: '/',
    headers: { host: HOST },
    body: '',
    canonicalRequest: `POST\n/\n\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: '553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87',
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    target: '/?Param1=value1',
    headers: { host: HOST },
    body: '',
    canonicalRequest: `POST\n/\nParam1=value1\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: '9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd',
    signedHeaders: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    target: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: HOST },
    body: 'Param1=value1',
    canonicalRequest:
      `POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\n\n` +
      'content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    stringToSignHash: '42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'post-sts-header-before',
    method: 'POST',
    target: '/',
    headers: { host: HOST, 'x-amz-security-token': SUITE_TOKEN },
    body: '',
    sessionToken: SUITE_TOKEN,
    canonicalRequest:
      `POST\n/\n\nhost:${HOST}\nx-amz-date:${AMZ_DATE}\nx-amz-security-token:${SUITE_TOKEN}\n\n` +
      `host;x-amz-date;x-amz-security-token\n${EMPTY_HASH}`,
    stringToSignHash: 'c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6',
    signedHeaders: 'host;x-amz-date;x-amz-security-token',
    signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
  },
];

// ---- The reference signer: the suite's steps, nothing else ----------------------------------------

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

interface SignableRequest {
  method: string;
  /** Path and query, as on the request line. */
  target: string;
  /** Lower-case names; only these are signed. */
  headers: Record<string, string>;
  body: string | Buffer;
}

function canonicalRequestOf(request: SignableRequest): { canonical: string; signedHeaders: string } {
  const [path, search = ''] = request.target.split('?');
  const query = search
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [key, value = ''] = pair.split('=');
      return [uriEncode(decodeURIComponent(key)), uriEncode(decodeURIComponent(value))];
    })
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const names = Object.keys(request.headers).sort();
  const headers = names
    .map((name) => `${name}:${request.headers[name].trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  return {
    canonical: [request.method, path, query, headers, signedHeaders, sha256Hex(request.body)].join('\n'),
    signedHeaders,
  };
}

/** Authorization, canonical request and string to sign of `request` (its headers must include x-amz-date). */
function referenceSign(
  request: SignableRequest,
  secretAccessKey: string,
  accessKeyId: string,
  amzDate: string,
  region = REGION,
  service = SERVICE,
): { authorization: string; canonical: string; stringToSign: string } {
  const { canonical, signedHeaders } = canonicalRequestOf(request);
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac('AWS4' + secretAccessKey, amzDate.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    canonical,
    stringToSign,
  };
}

// ---- A server on 127.0.0.1 that records requests, reached as example.amazonaws.com ----------------

interface Recorded {
  method: string;
  target: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

async function startRecorder(): Promise<{ port: number; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An agent that connects every request to 127.0.0.1:port, whatever host the URL names. */
function loopbackAgent(port: number): http.Agent {
  const agent = new http.Agent({ keepAlive: false });
  agent.createConnection = () => net.createConnection({ host: '127.0.0.1', port });
  return agent;
}

/** The headers the transport adds to every request, with the values it must give them. */
function transportHeaders(body: string): Record<string, string> {
  return {
    'content-length': String(Buffer.byteLength(body)),
    'content-type': 'application/x-protobuf',
    'x-amz-content-sha256': sha256Hex(body),
  };
}

describe('SigV4 test suite: the reference signer reproduces the suite', () => {
  for (const v of VECTORS) {
    it(v.name, () => {
      const signed = referenceSign(
        {
          method: v.method,
          target: v.target,
          headers: { ...v.headers, 'x-amz-date': AMZ_DATE },
          body: v.body,
        },
        CREDENTIALS.secretAccessKey,
        CREDENTIALS.accessKeyId,
        AMZ_DATE,
      );
      assert.equal(signed.canonical, v.canonicalRequest);
      assert.equal(signed.stringToSign, `AWS4-HMAC-SHA256\n${AMZ_DATE}\n${SCOPE}\n${v.stringToSignHash}`);
      assert.equal(
        signed.authorization,
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${SCOPE}, SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`,
      );
    });
  }
});

describe('SigV4 test suite through SigV4HttpTransport, over real HTTP', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  before(async () => {
    recorder = await startRecorder();
  });
  after(() => recorder.close());

  /** Sends `body` to `target` with the suite's date, credentials, region and service; what arrived. */
  async function sendThroughTransport(
    target: string,
    body: string,
    sessionToken?: string,
  ): Promise<Recorded> {
    const before = recorder.requests.length;
    const agent = loopbackAgent(recorder.port);
    const transport = new SigV4HttpTransport({
      url: new URL(`http://${HOST}${target}`),
      region: REGION,
      service: SERVICE,
      credentials: async () => ({ ...CREDENTIALS, sessionToken }),
      headers: async () => ({}),
      compression: 'none',
      agent,
      now: () => DATE,
    });
    try {
      const response = await transport.send(Buffer.from(body), 10_000);
      assert.equal(response.status, 'success', JSON.stringify(response));
      assert.equal(recorder.requests.length, before + 1);
      return recorder.requests[before];
    } finally {
      transport.shutdown();
    }
  }

  for (const v of VECTORS) {
    it(`${v.name}: the suite's date, scope, path, query and body; its canonical request plus the transport's headers; signed as the reference signs it`, async () => {
      const received = await sendThroughTransport(v.target, v.body, v.sessionToken);
      assert.equal(received.method, 'POST', 'the transport always POSTs');
      assert.equal(received.target, v.target);
      assert.equal(received.body.toString('utf8'), v.body);
      assert.equal(received.headers['x-amz-date'], AMZ_DATE);
      assert.equal(received.headers.host, HOST);
      assert.equal(received.headers['x-amz-security-token'], v.sessionToken);

      // The suite's signed headers, the transport's content-type in place of the suite's, and the
      // transport's own headers: the request as X-Ray would receive it.
      const expectedHeaders: Record<string, string> = {
        ...v.headers,
        'x-amz-date': AMZ_DATE,
        ...transportHeaders(v.body),
      };
      const authorization = String(received.headers.authorization);
      const signedNames = /SignedHeaders=([^,]+),/.exec(authorization)?.[1];
      assert.equal(signedNames, Object.keys(expectedHeaders).sort().join(';'));
      const arrived: Record<string, string> = {};
      for (const name of signedNames!.split(';')) arrived[name] = String(received.headers[name]);
      assert.deepEqual(arrived, expectedHeaders);

      const reference = referenceSign(
        { method: 'POST', target: v.target, headers: arrived, body: received.body },
        CREDENTIALS.secretAccessKey,
        CREDENTIALS.accessKeyId,
        AMZ_DATE,
      );
      // The canonical request is the suite's, taken line by line from its text, with the method POST
      // and the transport's headers in the header block (its content-type replacing the suite's).
      const suite = v.canonicalRequest.split('\n');
      const blankAt = suite.indexOf('', 3);
      const headerLines = [
        ...suite.slice(3, blankAt).filter((line) => !line.startsWith('content-type:')),
        ...Object.entries(transportHeaders(v.body)).map(([name, value]) => `${name}:${value}`),
      ].sort();
      const expectedCanonical = [
        'POST',
        suite[1],
        suite[2],
        ...headerLines,
        '',
        headerLines.map((line) => line.slice(0, line.indexOf(':'))).join(';'),
        suite[suite.length - 1],
      ].join('\n');
      assert.equal(reference.canonical, expectedCanonical);
      assert.equal(authorization, reference.authorization);
      assert.match(authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${SCOPE}, `));
    });
  }

  it('what arrived does not verify with another key, date, region, service or body', async () => {
    const v = VECTORS.find((vector) => vector.name === 'post-x-www-form-urlencoded')!;
    const received = await sendThroughTransport(v.target, v.body);
    const authorization = String(received.headers.authorization);
    const signedNames = /SignedHeaders=([^,]+),/.exec(authorization)![1].split(';');
    const headers: Record<string, string> = {};
    for (const name of signedNames) headers[name] = String(received.headers[name]);
    const request = { method: 'POST', target: v.target, headers, body: received.body };
    const verify = (
      r: SignableRequest,
      secret = CREDENTIALS.secretAccessKey,
      date = AMZ_DATE,
      region = REGION,
      service = SERVICE,
    ) =>
      referenceSign(r, secret, CREDENTIALS.accessKeyId, date, region, service).authorization.split(
        'Signature=',
      )[1] === authorization.split('Signature=')[1];
    assert.equal(verify(request), true);
    assert.equal(verify(request, 'not-the-key'), false);
    assert.equal(verify(request, undefined, '20150831T123600Z'), false);
    assert.equal(verify(request, undefined, undefined, 'us-west-2'), false);
    assert.equal(verify(request, undefined, undefined, undefined, 'xray'), false);
    assert.equal(verify({ ...request, body: 'Param1=value2' }), false);
  });
});
