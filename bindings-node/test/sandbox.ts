// One B-Trust sandbox per test file: the built `cqes` binary on ephemeral ports, real mutual
// TLS on loopback, stopped by PID. Like bindings-py/tests/conftest.py.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { ClientOptions, FlowOptionsInit } from 'cqes';

export const RP = '12345678';
export const EGN = '7501010010';
export const REPO = path.resolve(__dirname, '../../..');
/** Fast polling: the sandbox acts in milliseconds, so tests should too. */
export const FAST: FlowOptionsInit = {
  poll: { firstPollAfterMs: 50, intervalMs: 50, maxIntervalMs: 200, backoffFactor: 1.5, jitterRatio: 0.2, retryDelayMs: 50, maxConsecutiveFailures: 5, expiryGraceMs: 1000, defaultValidityMs: 60_000 },
};

export interface Sandbox {
  baseUrl: string;
  controlUrl: string;
  pagesUrl: string;
  certs: string;
  control(method: string, p: string, body?: unknown): Promise<any>;
  behave(mode: 'approve' | 'reject' | 'ignore', afterMs?: number): Promise<void>;
  options(rp?: string): ClientOptions;
  stop(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const bin = process.env.CQES_BIN ?? path.join(REPO, 'target', 'debug', 'cqes');
  const certs = fs.mkdtempSync(path.join(os.tmpdir(), 'cqes-node-certs-'));
  const proc = spawn(bin, ['--json', 'sandbox', 'serve', '--port', '0', '--control-port', '0', '--pages-port', '0', '--certs', certs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: proc.stdout! });
    rl.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`the sandbox did not start (exit ${code})`)));
  });
  proc.stdout!.resume();
  const info = JSON.parse(first);
  const sb: Sandbox = {
    baseUrl: info.baseUrl, controlUrl: info.controlUrl, pagesUrl: info.pagesUrl, certs,
    async control(method, p, body) {
      const r = await fetch(sb.controlUrl + p, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!r.ok) throw new Error(`control ${method} ${p}: ${r.status}`);
      return r.json();
    },
    async behave(mode, afterMs = 0) { await sb.control('PUT', '/behavior', { mode, afterMs }); },
    options(rp = RP) {
      return {
        environment: sb.baseUrl, relyingPartyId: rp, cert: path.join(certs, `rp-${rp}.pem`), key: path.join(certs, `rp-${rp}.key`),
        ca: path.join(certs, 'ca.pem'), identificationUrl: sb.pagesUrl, timeout: 10_000, flowOptions: FAST,
      };
    },
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      process.kill(proc.pid!, 'SIGINT'); // the sandbox stops on Ctrl-C
      const timer = setTimeout(() => process.kill(proc.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(certs, { recursive: true, force: true });
    },
  };
  return sb;
}

/** Every test starts with a passive user and no faults. */
export async function reset(sb: Sandbox): Promise<void> {
  await sb.behave('ignore');
  await sb.control('PUT', '/faults', {});
}

/** A minimal one-page PDF. */
export function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n' +
      '0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n',
  );
}

/** The relying party's callback endpoint (POST) and landing pages (GET), on loopback. */
export class Receiver {
  onCallback: ((body: Buffer) => void) | undefined;
  bodies: Buffer[] = [];
  landed: string[] = [];
  url = '';
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        const body = Buffer.concat(chunks);
        this.bodies.push(body);
        let status = 200;
        try { this.onCallback?.(body); } catch { status = 400; }
        res.writeHead(status, { 'content-length': '0' }).end();
      } else {
        this.landed.push((req.url ?? '').replace(/^\/|\?.*$/g, ''));
        res.writeHead(200, { 'content-length': '6' }).end('landed');
      }
    });
  });
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
