/**
 * AWS's published SigV4 test suite (https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-test-suite.html,
 * "aws-sig-v4-test-suite"), reproduced with the same library and wiring the exporter uses:
 * `new SignatureV4({ service, region, credentials, sha256: Sha256 })` and `sign(request, { signingDate })`.
 * This checks the wiring (service, region, date, body hash), not the library.
 */
import * as assert from 'assert';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const DATE = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

/** Exposes the suite's intermediate values (canonical request, string to sign). */
class InspectableSigner extends SignatureV4 {
  canonical(
    request: Parameters<SignatureV4['createCanonicalRequest']>[0],
    headers: Record<string, string>,
    payloadHash: string,
  ): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
  stringToSign(canonicalRequest: string): Promise<string> {
    return this.createStringToSign(
      '20150830T123600Z',
      '20150830/us-east-1/service/aws4_request',
      canonicalRequest,
      'AWS4-HMAC-SHA256',
    );
  }
}

interface Vector {
  name: string;
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  canonicalRequest: string;
  stringToSignHash: string;
  signedHeaders: string;
  signature: string;
}

const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const VECTORS: Vector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    query: {},
    headers: { host: 'example.amazonaws.com' },
    canonicalRequest: `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: 'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    query: { Param2: 'value2', Param1: 'value1' },
    headers: { host: 'example.amazonaws.com' },
    canonicalRequest: `GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: '816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0',
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    query: { Param1: 'value1' },
    headers: { host: 'example.amazonaws.com' },
    canonicalRequest: `POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_HASH}`,
    stringToSignHash: '9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd',
    signedHeaders: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'example.amazonaws.com' },
    body: 'Param1=value1',
    canonicalRequest:
      'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n' +
      'content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    stringToSignHash: '42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
];

describe('SigV4 wiring reproduces the AWS test suite', () => {
  // The suite signs no x-amz-content-sha256 header, so applyChecksum is off here only.
  const signer = new InspectableSigner({
    service: 'service',
    region: 'us-east-1',
    credentials: CREDENTIALS,
    sha256: Sha256,
    applyChecksum: false,
  });

  for (const v of VECTORS) {
    it(v.name, async () => {
      const request = {
        method: v.method,
        protocol: 'https:',
        hostname: 'example.amazonaws.com',
        path: '/',
        query: v.query,
        headers: { ...v.headers },
        body: v.body,
      };
      const signed = await signer.sign(request, { signingDate: DATE });
      assert.equal(signed.headers['x-amz-date'], '20150830T123600Z');
      assert.equal(
        signed.headers['authorization'],
        `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=${v.signedHeaders}, Signature=${v.signature}`,
      );

      const payloadHash =
        v.body === undefined
          ? EMPTY_HASH
          : '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e';
      const headers = { ...v.headers, 'x-amz-date': '20150830T123600Z' };
      const canonical = signer.canonical({ ...request, headers }, headers, payloadHash);
      assert.equal(canonical, v.canonicalRequest);
      assert.equal(
        await signer.stringToSign(canonical),
        `AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n${v.stringToSignHash}`,
      );
    });
  }

  it('a different key, region or body gives a different signature', async () => {
    const base = {
      method: 'POST',
      protocol: 'https:',
      hostname: 'example.amazonaws.com',
      path: '/',
      headers: { host: 'example.amazonaws.com' },
      body: 'Param1=value1',
    };
    const sig = async (s: SignatureV4, body = base.body) =>
      (await s.sign({ ...base, headers: { ...base.headers }, body }, { signingDate: DATE })).headers[
        'authorization'
      ];
    const reference = await sig(signer);
    const wrongKey = new SignatureV4({
      service: 'service',
      region: 'us-east-1',
      credentials: { ...CREDENTIALS, secretAccessKey: 'x' },
      sha256: Sha256,
      applyChecksum: false,
    });
    const wrongRegion = new SignatureV4({
      service: 'service',
      region: 'us-west-2',
      credentials: CREDENTIALS,
      sha256: Sha256,
      applyChecksum: false,
    });
    assert.notEqual(await sig(wrongKey), reference);
    assert.notEqual(await sig(wrongRegion), reference);
    assert.notEqual(await sig(signer, 'Param1=value2'), reference);
  });
});
