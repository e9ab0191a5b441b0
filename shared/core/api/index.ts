export * from './errors.js';
export * from './result.js';
export * from './contract.js';
export * from './validate.js';
