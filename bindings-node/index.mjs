// ESM entry: the CommonJS module's exports, by name.
import cqes from './index.js';

export const {
  Client, Flow, HttpTransport, operations, flows, checkRule, CqesError, ValidationError, ApiError,
  SigningRejected, SigningExpired, UnexpectedResponseError, TransportError, InvalidStateError, _native, _toCqesError,
} = cqes;
export default cqes;
