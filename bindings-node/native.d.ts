// The native module's surface (src/lib.rs) as lib/native.js exposes it: values decoded into
// the core's wire forms (byte strings as Buffers).
import type { HttpRequest, Progress } from './types/index';

export type NativeStep =
  | { step: 'send'; id: number; request: HttpRequest }
  | { step: 'wait'; untilMs: number | null }
  | { step: 'done'; outcome: unknown }
  | { step: 'failed'; error: import('./types/index').CqesError; message: string };

export interface NativeConfig { readonly __brand?: "NativeConfig" }
export interface NativeFlow {
  readonly name: string;
  next(nowMs: number): NativeStep;
  handleResponse(id: number, status: number, headers: [string, string][] | string, body: Uint8Array, nowMs: number): void;
  handleTransportError(id: number, kind: string, nowMs: number): void;
  handleCallback(body: Uint8Array, nowMs: number): void;
  snapshot(): string;
  progress(): Progress;
  takeTransitions(): string[];
  table(): string[];
}
export interface Native {
  NativeConfig: { new (config: unknown): NativeConfig; unchecked(config: unknown): NativeConfig };
  NativeFlow: { start(name: string, config: NativeConfig, input: unknown, options?: unknown): NativeFlow; restore(snapshot: string): NativeFlow };
  operations(): string[];
  flowInfo(): Array<{ name: string; method: string; callback: string }>;
  build(op: string, config: NativeConfig, input: unknown): HttpRequest;
  buildJson(op: string, config: NativeConfig, input: string): HttpRequest;
  parse(op: string, status: number, headers: [string, string][], body: Uint8Array): unknown;
  parseCallback(kind: string, config: NativeConfig, body: Uint8Array): unknown;
  checkRule(rule: string, value: unknown): Array<{ path: string; code: string; message: string }>;
  identificationLink(config: NativeConfig, sessionId: string): string;
  pkcs12ToPem(der: Uint8Array, password: string): Buffer;
  _benchCoreBuild(op: string, config: NativeConfig, input: unknown, iterations: number): number;
}
