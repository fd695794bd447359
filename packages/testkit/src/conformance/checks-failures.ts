import { strict as assert } from 'node:assert';
import { ConnectionError, ConnectTimeoutError, ReadTimeoutError, SSLError, TimeoutError } from '@sess/core';
import { startTestProxy } from '../proxy.js';
import { assertErrorOf, atHeaders, echoOf, hop, prepare, rejection, timedRejection } from './harness.js';
import { closedPort, startFullBacklog, startSilentServer } from './raw-servers.js';
import { PATHS } from './routes.js';
import { TLS_FILES } from './servers.js';
import type { Suite } from './suite.js';

/** The connect and read budgets of the timeout checks; each must fire within twice its budget. */
const BUDGET = 300;

function assertOnTime(ms: number, what: string): void {
  // A little early is timer granularity; later than twice the budget is a clock that is not kept.
  assert.ok(ms >= BUDGET * 0.9, `${what} fired after ${Math.round(ms)} ms, before its ${BUDGET} ms budget`);
  assert.ok(
    ms <= BUDGET * 2,
    `${what} fired after ${Math.round(ms)} ms, more than twice its ${BUDGET} ms budget`,
  );
}

/** Transport failures, each mapped onto its sess error class. */
export function failureChecks(suite: Suite): void {
  const scheme = () => (suite.caps.http2 ? 'https' : 'http');

  suite.check('refused', 'a refused connection is a ConnectionError', ['network'], async () => {
    const port = await closedPort();
    await suite.withAdapter(async (adapter) => {
      const request = await prepare(`${scheme()}://127.0.0.1:${port}/`);
      const { ms, error } = await timedRejection(hop(adapter, request, { timeout: { connect: 5000 } }));
      assertErrorOf(error, [ConnectionError], 'refused');
      assert.ok(!(error instanceof TimeoutError), 'a refusal is not a timeout');
      assert.ok(ms < 2000, `a refusal took ${Math.round(ms)} ms`);
    });
  });

  suite.check(
    'connect timeout',
    `a TCP connect that is never accepted is a ConnectTimeoutError within 2x timeout.connect`,
    ['network', 'connectTimeout'],
    async (t) => {
      const backlog = await startFullBacklog();
      if (!backlog) {
        t.skip('this kernel accepts past a full backlog, so a hanging connect cannot be staged on loopback');
        return;
      }
      try {
        await suite.withAdapter(async (adapter) => {
          const request = await prepare(`${scheme()}://127.0.0.1:${backlog.port}/`);
          const { ms, error } = await timedRejection(hop(adapter, request, { timeout: { connect: BUDGET } }));
          assertErrorOf(error, [ConnectTimeoutError], 'connect');
          assert.ok(error instanceof TimeoutError, 'a ConnectTimeoutError is also a TimeoutError');
          assertOnTime(ms, 'ConnectTimeoutError');
        });
      } finally {
        await backlog.close();
      }
    },
  );

  suite.check(
    'tls connect timeout',
    'a TLS handshake never answered is a ConnectTimeoutError within 2x timeout.connect',
    ['network', 'tls', 'connectTimeout'],
    async () => {
      const silent = await startSilentServer();
      try {
        await suite.withAdapter(async (adapter) => {
          const request = await prepare(`https://127.0.0.1:${silent.port}/`);
          const { ms, error } = await timedRejection(hop(adapter, request, { timeout: { connect: BUDGET } }));
          assertErrorOf(error, [ConnectTimeoutError], 'TLS handshake');
          assertOnTime(ms, 'ConnectTimeoutError');
        });
      } finally {
        await silent.close();
      }
    },
  );

  suite.check(
    'read timeout',
    'no response headers is a ReadTimeoutError within 2x timeout.read',
    ['network', 'readTimeout'],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const t = main.track();
        const request = await prepare(main.url(PATHS.never, t));
        const { ms, error } = await timedRejection(hop(adapter, request, { timeout: { read: BUDGET } }));
        assertErrorOf(error, [ReadTimeoutError], 'waiting for headers');
        assertOnTime(ms, 'ReadTimeoutError');
      });
    },
  );

  suite.check(
    'body read timeout',
    'silence between body chunks is a ReadTimeoutError within 2x timeout.read',
    ['network', 'readTimeout'],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const request = await prepare(main.url(PATHS.stallBody));
        const res = await atHeaders(
          hop(adapter, request, { stream: true, timeout: { read: BUDGET } }),
          'stall',
        );
        const it = res.iterContent()[Symbol.asyncIterator]();
        let got = 0;
        let last = performance.now();
        const error = await rejection(
          (async () => {
            for (let step = await it.next(); !step.done; step = await it.next()) {
              got += step.value.byteLength;
              last = performance.now();
            }
          })(),
        );
        assert.equal(got, 16 * 1024, 'the body sent before the silence');
        assertErrorOf(error, [ReadTimeoutError], 'between body chunks');
        assertOnTime(performance.now() - last, 'ReadTimeoutError');
      });
    },
  );

  suite.check(
    'tls',
    'verify takes a CA bundle path; an untrusted certificate is an SSLError; verify: false accepts it',
    ['network', 'tls'],
    async () => {
      const tls = suite.env.tls;
      assert.ok(tls, 'no TLS server was started');
      await suite.withAdapter(async (adapter) => {
        const url = tls.url(PATHS.echo);
        assert.equal(echoOf(await hop(adapter, await prepare(url), { verify: TLS_FILES.ca })).method, 'GET');
        assertErrorOf(
          await rejection(hop(adapter, await prepare(url), { verify: true })),
          [SSLError],
          'verify: true',
        );
        assert.equal(echoOf(await hop(adapter, await prepare(url), { verify: false })).method, 'GET');
      });
    },
  );

  suite.check(
    'proxies',
    'requests go through options.proxies (forwarded, and CONNECT for https)',
    ['network', 'proxies'],
    async () => {
      const { main, tls } = suite.env;
      const proxy = await startTestProxy();
      try {
        await suite.withAdapter(async (adapter) => {
          if (!suite.caps.http2) {
            const url = main.url(PATHS.echo, undefined, { via: 'forward' });
            const res = await hop(adapter, await prepare(url), { proxies: { http: proxy.url } });
            assert.equal(echoOf(res).method, 'GET');
            assert.ok(
              proxy.log.some((e) => e.kind === 'forward' && e.target === url),
              'the proxy did not forward the request',
            );
          }
          if (tls) {
            const url = tls.url(PATHS.echo, undefined, { via: 'connect' });
            const res = await hop(adapter, await prepare(url), { proxies: { https: proxy.url } });
            assert.equal(echoOf(res).method, 'GET');
            assert.ok(
              proxy.log.some((e) => e.kind === 'connect' && e.target === `127.0.0.1:${tls.port}`),
              'the proxy saw no CONNECT for the https request',
            );
          }
        });
      } finally {
        await proxy.close();
      }
    },
  );
}
