/**
 * `@sess/adapter-undici`: the pooled HTTP/1.1 transport for sess, on undici 7.
 *
 * @packageDocumentation
 */
export { UndiciAdapter, type UndiciAdapterOptions } from './adapter.js';
