/** OpenTelemetry spans for sess requests, printed by the console exporter. */
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';
import { traceSess } from './tracing.js';

const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
traceSess(provider.getTracer('sess-example'));

const server = await startTestServer();
try {
  await using s = new Session();
  // Two hops (a redirect) and one error: three spans.
  await s.get(`${server.url}/redirect-to`, { params: { url: '/get', token: 'secret-is-redacted' } });
  await s.get(`${server.url}/status/503`);
  await s.get('http://127.0.0.1:1/unreachable').catch(() => {});
} finally {
  await server.close();
  await provider.shutdown();
}
