import { strict as assert } from 'node:assert';
import { echoOf, headerValues, hop, prepare, textOf, within } from './harness.js';
import { PATHS, RESPONSE_HEADERS, SET_COOKIES } from './routes.js';
import type { Suite } from './suite.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** What one hop must and must not do: redirects, cookies, methods, headers, bodiless answers, 1xx. */
export function protocolChecks(suite: Suite): void {
  suite.check('one hop', 'a 3xx is returned as it is, not followed, its Location intact', [], async () => {
    const { main } = suite.env;
    await suite.withAdapter(async (adapter) => {
      for (const status of [301, 302, 303, 307, 308]) {
        const to = `/cf/echo?landed=${status}&q=a%20b#frag`;
        const method = status === 307 ? 'POST' : 'GET';
        const request = await prepare(main.url(PATHS.redirect, undefined, { status, to }), {
          method,
          ...(method === 'POST' ? { data: 'keep me' } : {}),
        });
        const res = await hop(adapter, request);
        assert.equal(res.statusCode, status);
        assert.equal(res.headers.get('location'), to, 'Location reaches the session byte for byte');
        assert.equal(res.url, request.url, 'the response is for the URL that was sent');
        assert.equal(textOf(res), '<a href="elsewhere">redirecting</a>', 'the redirect body is handed over');
        const followed = main.log.filter((s) => s.target.includes('landed='));
        assert.deepEqual(followed, [], `the adapter followed the ${status}`);
      }
    });
  });

  suite.check(
    'cookies',
    'Set-Cookie passed through, no Cookie added, a Cookie header sent as given',
    [],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const set = await hop(adapter, await prepare(main.url(PATHS.setCookies)));
        assert.deepEqual(
          set.headers.getSetCookie(),
          SET_COOKIES,
          'every Set-Cookie line, unjoined and in order',
        );
        const next = echoOf(await hop(adapter, await prepare(main.url(PATHS.echo))));
        assert.deepEqual(headerValues(next.headers, 'cookie'), [], 'the adapter added a Cookie header');
        const given = echoOf(
          await hop(
            adapter,
            await prepare(main.url(PATHS.echo), { headers: { Cookie: 'given=1; other=2' } }),
          ),
        );
        // HTTP/2 may split a Cookie header into several fields (RFC 9113 §8.2.3); joined, it must be the same.
        assert.equal(headerValues(given.headers, 'cookie').join('; '), 'given=1; other=2');
      });
    },
  );

  suite.check('methods', 'GET HEAD POST PUT PATCH DELETE OPTIONS reach the server as sent', [], async () => {
    const { main } = suite.env;
    await suite.withAdapter(async (adapter) => {
      for (const method of METHODS) {
        const t = main.track();
        const data = WITH_BODY.has(method) ? `body of ${method}` : undefined;
        const res = await hop(adapter, await prepare(main.url(PATHS.echo, t), { method, data }));
        const seen = await t.received;
        assert.equal(seen.method, method);
        assert.equal(res.statusCode, 200, `${method} answered ${res.statusCode}`);
        assert.equal(Buffer.from(seen.body ?? []).toString(), data ?? '', `the body of ${method}`);
        if (method === 'HEAD') assert.equal(res.content.byteLength, 0, 'a HEAD response has no body');
        else assert.equal(echoOf(res).method, method);
      }
    });
  });

  suite.check(
    'header bytes',
    'header values arrive byte for byte both ways (case, spaces, latin1)',
    [],
    async () => {
      const { main } = suite.env;
      const sent: Record<string, string> = {
        'X-Case': 'MiXeD CaSe VaLuE',
        'X-Latin1': 'caf\u00e9 \u00fcber \u00ff',
        'X-Spaces': 'a  b\tc',
      };
      await suite.withAdapter(async (adapter) => {
        const echo = echoOf(await hop(adapter, await prepare(main.url(PATHS.echo), { headers: sent })));
        for (const [name, value] of Object.entries(sent)) {
          assert.deepEqual(headerValues(echo.headers, name), [value], `request header ${name}`);
        }
        const res = await hop(adapter, await prepare(main.url(PATHS.headers)));
        for (const [name, value] of RESPONSE_HEADERS) {
          if (name === 'X-Dup' || name === 'Set-Cookie') continue;
          assert.equal(res.headers.get(name), value, `response header ${name}`);
        }
      });
    },
  );

  suite.check(
    'repeated headers',
    'repeated response headers kept in order, Set-Cookie as a list',
    [],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const res = await hop(adapter, await prepare(main.url(PATHS.headers)));
        assert.deepEqual(res.headers.getAll('x-dup'), ['first', 'second', 'third']);
        assert.equal(res.headers.get('x-other'), 'between');
        assert.deepEqual(res.headers.getSetCookie(), [
          'a=1; Path=/',
          'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/',
        ]);
      });
    },
  );

  suite.check(
    'no body',
    'HEAD, 204 and 304 end at the headers, whatever Content-Length says',
    [],
    async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const cases: Array<{ method: string; status: number; query: Record<string, number> }> = [
          { method: 'HEAD', status: 200, query: {} },
          { method: 'GET', status: 204, query: { status: 204 } },
          { method: 'GET', status: 304, query: { status: 304 } },
        ];
        for (const c of cases) {
          for (const stream of [false, true]) {
            const request = await prepare(main.url(PATHS.noBody, undefined, c.query), { method: c.method });
            const res = await within(hop(adapter, request, { stream }), 3000);
            assert.notEqual(res, 'pending', `${c.method} ${c.status} (stream: ${stream}) waited for a body`);
            if (res === 'pending') return;
            assert.equal(res.statusCode, c.status);
            const body = await within(res.read(), 3000);
            assert.notEqual(body, 'pending', `${c.method} ${c.status}: reading the (absent) body hung`);
            assert.equal((body as Uint8Array).byteLength, 0);
            if (c.status !== 204) assert.equal(res.headers.get('content-length'), '1234');
          }
        }
        // The connection (or stream) framing survived: the next exchange is intact.
        assert.equal(echoOf(await hop(adapter, await prepare(main.url(PATHS.echo)))).method, 'GET');
      });
    },
  );

  for (const kind of ['103', '100'] as const) {
    const title =
      kind === '103'
        ? 'a 103 Early Hints before the answer is skipped'
        : 'an unsolicited 100 Continue is skipped';
    suite.check(`interim ${kind}`, title, ['network'], async () => {
      const { main } = suite.env;
      await suite.withAdapter(async (adapter) => {
        const res = await hop(adapter, await prepare(main.url(PATHS.interim, undefined, { kind })));
        assert.equal(res.statusCode, 200);
        assert.equal(textOf(res), 'final');
      });
    });
  }

  suite.check('http2', 'responses over HTTP/2 say httpVersion 2', ['network', 'http2'], async () => {
    const { main } = suite.env;
    await suite.withAdapter(async (adapter) => {
      const res = await hop(adapter, await prepare(main.url(PATHS.echo)));
      assert.equal(res.httpVersion, '2');
    });
  });

  suite.check('concurrency', '20 requests at once each get their own answer', [], async () => {
    const { main } = suite.env;
    await suite.withAdapter(async (adapter) => {
      const all = Array.from({ length: 20 }, async (_, i) => {
        const res = await hop(adapter, await prepare(main.url(PATHS.echo, undefined, { i })));
        assert.equal(new URL(echoOf(res).target, main.origin).searchParams.get('i'), String(i));
      });
      await Promise.all(all);
    });
  });
}
