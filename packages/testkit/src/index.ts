/**
 * @sess/testkit: test doubles for sess. `MockAdapter` answers requests from a
 * function; `startTestServer` runs an httpbin-like server on 127.0.0.1;
 * `startTestProxy` a forward/CONNECT proxy that logs what it saw.
 */

export type {
  AdapterCapabilities,
  ConformanceKit,
  ConformanceOptions,
  MakeAdapter,
} from './conformance/index.js';
export { adapterConformance } from './conformance/index.js';
export type { HttpbinServer } from './httpbin.js';
export { httpbinAvailable, startHttpbin } from './httpbin.js';
export type { MockCall, MockHandler, MockReply } from './mock-adapter.js';
export { MockAdapter } from './mock-adapter.js';
export type { ProxyLogEntry, TestProxy, TestProxyOptions } from './proxy.js';
export { startTestProxy } from './proxy.js';
export type { RedisServer } from './redis.js';
export { freePort, startRedisServer } from './redis.js';
export type { TestServer, TestServerOptions } from './server.js';
export { startTestServer } from './server.js';
