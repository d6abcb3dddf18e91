/**
 * One HTTP POST with Node's own http module (the ClickHouse client's
 * transport): the status and the whole reply body. Node's fetch would do
 * the same, but loading it (undici) costs a command-line run ~0.1 s.
 * Failures to connect reject with the socket error (its `code`, e.g. ECONNREFUSED).
 * node:http is taken when the first request is made, not when this module loads: loading it
 * costs 10-14 ms, which every command that reads a CSV file (this module is in the same
 * bundle chunk as the file readers) would otherwise pay.
 */

export interface HttpReply {
  status: number;
  body: Uint8Array;
}

export function httpPost(url: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<HttpReply> {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const { request } = process.getBuiltinModule('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A multipart/form-data body of named files (ClickHouse's external data) and its Content-Type. */
export function multipart(files: readonly { name: string; data: string }[]): { body: Buffer; contentType: string } {
  const boundary = `----mixedmodels${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.from(f.data));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
