export * from './index.js';
import cqes from './index.js';
export default cqes;
