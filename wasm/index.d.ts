// The typed API of `@cqes/wasm`: validation and preview (validation.d.ts), plus parsing and
// flows. Models are the core's own declarations (dist/types).
import type { ConfigInput, OperationName } from './validation';
import type { Config, FlowOptions, FlowStep, Flows, HttpResponse, Operations, Progress, TransportErrorKind } from './dist/types/index';

export * from './validation';
export { default } from './validation';

export type FlowName = keyof Flows;
/** A response as the transport received it; `headers` and `body` may be left out. */
export type ResponseInput = Pick<HttpResponse, 'status'> & Partial<HttpResponse>;

export function flows(): FlowName[];
export function parseResponse<K extends OperationName>(operation: K, response: ResponseInput): Operations[K]['output'];
export function parseCallback(kind: 'sign' | 'identification', config: ConfigInput, body: Uint8Array | string): unknown;

export class Flow {
  private constructor();
  /** `options.entropy` defaults to 16 bytes from `crypto.getRandomValues`. */
  static start<K extends FlowName>(name: K, config: ConfigInput, input: Flows[K]['input'], options?: Partial<FlowOptions>): Flow;
  static restore(snapshot: string): Flow;
  readonly name: FlowName;
  next(nowMs: number): FlowStep;
  handleResponse(id: number, response: ResponseInput, nowMs: number): void;
  handleTransportError(id: number, kind: TransportErrorKind, nowMs: number): void;
  handleCallback(body: Uint8Array | string, nowMs: number): void;
  snapshot(): string;
  progress(): Progress;
  config(): Config;
  takeTransitions(): string[];
  table(): string[];
  free(): void;
}
