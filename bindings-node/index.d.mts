// Types of the ESM entry (index.mjs): the same names, and the module as the default export.
export * from './index.js';
import * as cqes from './index.js';
export default cqes;
