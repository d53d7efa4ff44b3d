// The undici transport beyond the sandbox scenarios: mutual TLS through a CONNECT proxy, a
// refused connection, the size limit, and a custom transport's failures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { ApiError, Client, HttpTransport, TransportError, type Transport } from 'cqes';
import { EGN, startSandbox, type Sandbox } from './sandbox';

let sb: Sandbox;
before(async () => { sb = await startSandbox(); });
after(() => sb.stop());

test('mutual TLS through a CONNECT proxy', async () => {
  const tunnels: string[] = [];
  const proxy = http.createServer();
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as net.AddressInfo).port;
  const client = new Client({ ...sb.options(), proxy: `http://127.0.0.1:${port}` });
  const found = await client.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN });
  assert.equal(found.httpStatus, 200);
  assert.equal(tunnels.length, 1, 'one tunnel, through which the mTLS handshake ran');
  await client.close();
  proxy.close();
});

test('a refused connection is a connect error; the size limit is too_large', async () => {
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const nowhere = new Client({ ...sb.options(), environment: `https://127.0.0.1:${port}/signing-api` });
  await assert.rejects(nowhere.getCert({ profileId: '032-552574' }), (e: unknown) => e instanceof TransportError && e.kind === 'connect');
  await nowhere.close();
  const small = new Client({ ...sb.options(), limits: { maxJsonResponseBytes: 10 } });
  await assert.rejects(small.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN }), (e: unknown) => e instanceof TransportError && e.kind === 'too_large');
  await small.close();
});

test('a custom transport: what it throws becomes a TransportError, a lost sign request is reconciled', async () => {
  const broken = new Client({ environment: 'uat', relyingPartyId: '12345678', transport: { send: async () => { throw new Error('socket hang up'); } } });
  await assert.rejects(broken.getCert({ profileId: '032-552574' }), (e: unknown) => e instanceof TransportError && e.kind === 'other');
  // The first POST /v2/sign is lost after it landed: the flow asks by rpCallbackId, never resends.
  const real = new HttpTransport({ ...sb.options() });
  let posts = 0;
  const flaky = new Client({
    ...sb.options(),
    transport: {
      async send(request, options) {
        const response = await real.send(request, options);
        if (request.method === 'POST' && ++posts === 1) throw new TransportError('reset', 'io');
        return response;
      },
    },
  });
  await sb.behave('approve', 50);
  const out = await flaky.sign({ identity: { personalId: EGN }, request: { contents: [{ confirmText: 'x', contentFormat: 'TEXT', data: 'hello' }], relyingPartyCallbackId: 'node-lost-1' } });
  assert.equal(posts, 1, 'never resent');
  assert.equal(out.rpCallbackId, 'node-lost-1');
  await real.close();
});

test("the README's fetch transport type-checks and sends what the core built", async () => {
  const sent: string[] = [];
  const transport: Transport = {
    async send(request, { signal }) {
      sent.push(`${request.method} ${request.logUrl}`);
      // As in the README, against a stand-in for fetch that answers 404.
      const r = new Response('{"responseCode":"NOT_FOUND","code":"NOT_FOUND","message":"no"}', { status: 404 });
      void signal;
      return { status: r.status, headers: [...r.headers], body: new Uint8Array(await r.arrayBuffer()) };
    },
  };
  const client = new Client({ environment: 'uat', relyingPartyId: '12345678', transport });
  await assert.rejects(client.getCert({ profileId: '032-552574' }), (e: unknown) => e instanceof ApiError && e.httpStatus === 404);
  assert.deepEqual(sent, ['GET https://cqes-rpuat.b-trust.bg/signing-api/v2/cert/[redacted]']);
});
