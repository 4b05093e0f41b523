/** Test helpers for xray-local's receivers: the shared reference folder and its wire fixtures. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED = path.resolve(__dirname, '../../../../shared');
export const WIRE = path.join(SHARED, 'fixtures', 'wire');

/** Every `*-udp-NN.bin` datagram with its readable `.json` twin. */
export function udpFixtures(): {
  name: string;
  bin: Buffer;
  json: { header_line: string; document: Record<string, unknown> };
}[] {
  const out = [];
  for (const dir of fs.readdirSync(WIRE)) {
    const folder = path.join(WIRE, dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const file of fs.readdirSync(folder).sort()) {
      if (!/-udp-\d+\.bin$/.test(file)) continue;
      out.push({
        name: file,
        bin: fs.readFileSync(path.join(folder, file)),
        json: JSON.parse(fs.readFileSync(path.join(folder, file.replace(/\.bin$/, '.json')), 'utf8')),
      });
    }
  }
  return out;
}

/** Every sampling API request (`*-tcp-NN.json`). */
export function tcpFixtures(): {
  name: string;
  target: string;
  body_text: string;
  sink_response: Record<string, unknown>;
}[] {
  const out = [];
  for (const dir of fs.readdirSync(WIRE)) {
    const folder = path.join(WIRE, dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const file of fs.readdirSync(folder).sort()) {
      if (/-tcp-\d+\.json$/.test(file))
        out.push({ name: file, ...JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) });
    }
  }
  return out;
}

/** Documents the real SDKs sent that X-Ray itself rejects: forwarded bad headers, oversize payloads. */
export const KNOWN_BAD_FIXTURES: Record<string, string> = {
  'node-06-oversize-udp-02.bin': 'too-large',
  'py-06-oversize-udp-02.bin': 'too-large',
  'node-09-header-matrix-udp-13.bin': 'invalid-trace-id',
  'node-09-header-matrix-udp-16.bin': 'invalid-trace-id',
  'node-09-header-matrix-udp-18.bin': 'invalid-id',
  'py-07-header-matrix-udp-13.bin': 'invalid-trace-id',
  'py-07-header-matrix-udp-14.bin': 'invalid-trace-id',
  'py-07-header-matrix-udp-16.bin': 'invalid-trace-id',
  'py-07-header-matrix-udp-17.bin': 'invalid-trace-id',
  'py-07-header-matrix-udp-18.bin': 'invalid-id',
};

/** A minimal valid segment. */
export function segment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'svc',
    id: '70de5b6f19ff9a0a',
    trace_id: '1-581cf771-a006649127e371903a2de979',
    start_time: 1478293361.271,
    end_time: 1478293361.449,
    ...extra,
  };
}

export const datagram = (document: unknown, header = '{"format":"json","version":1}'): Buffer =>
  Buffer.from(header + '\n' + (typeof document === 'string' ? document : JSON.stringify(document)));
