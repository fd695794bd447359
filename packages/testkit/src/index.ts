/**
 * @sess/testkit: test doubles for sess. `MockAdapter` answers requests from a
 * function; `startTestServer` runs an httpbin-like server on 127.0.0.1.
 */
export type { MockCall, MockHandler, MockReply } from './mock-adapter.js';
export { MockAdapter } from './mock-adapter.js';
export type { TestServer, TestServerOptions } from './server.js';
export { startTestServer } from './server.js';
