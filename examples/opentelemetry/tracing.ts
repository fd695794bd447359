/**
 * Spans from sess's diagnostics_channel events: one client span per hop
 * (redirects and retries each get theirs), with the semantic-convention
 * attributes a backend expects. No plugin and no monkey-patching: core
 * publishes `sess:request:*`; this subscribes.
 */
import { subscribe } from 'node:diagnostics_channel';
import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { type RequestDiagnosticsMessage, redactUrl } from 'sess';

export function traceSess(tracer: Tracer): void {
  // Keyed by the request object of the hop: the same one arrives with create, headers, end and error.
  const spans = new WeakMap<object, Span>();
  subscribe('sess:request:create', (message) => {
    const { request } = message as RequestDiagnosticsMessage;
    const url = new URL(request.url);
    const span = tracer.startSpan(`${request.method}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': request.method,
        'url.full': redactUrl(request.url),
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      },
    });
    spans.set(request, span);
  });
  subscribe('sess:request:headers', (message) => {
    const { request, response } = message as RequestDiagnosticsMessage;
    if (response) spans.get(request)?.setAttribute('http.response.status_code', response.statusCode);
  });
  subscribe('sess:request:end', (message) => {
    const { request, response } = message as RequestDiagnosticsMessage;
    const span = spans.get(request);
    if (!span || !response) return;
    span.setAttribute('network.protocol.version', response.httpVersion);
    if (response.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  });
  subscribe('sess:request:error', (message) => {
    const { request, error } = message as RequestDiagnosticsMessage;
    const span = spans.get(request);
    if (!span) return;
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
    span.end();
    spans.delete(request);
  });
}
