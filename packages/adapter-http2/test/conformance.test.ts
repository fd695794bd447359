import { adapterConformance } from '@sess/testkit';
import { Http2Adapter } from '../src/index.js';

// The suite any sess transport passes, run against its HTTP/2 servers (TLS, ALPN h2, no fallback).
await adapterConformance('Http2Adapter', () => new Http2Adapter(), {
  http2: true,
  tls: true,
  pooling: true,
  proxies: true,
  streamingUpload: true,
  connectTimeout: true,
  readTimeout: true,
});
