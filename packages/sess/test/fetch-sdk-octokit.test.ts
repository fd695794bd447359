import { Octokit } from '@octokit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appSession,
  expectRetried,
  expectSessionTraits,
  type FakeServer,
  flaky,
  sendJson,
  startServer,
} from './fetch-server.js';

/** @octokit/core given session.fetch: a GET, and a list paginated through Link headers. */
const ISSUES = Array.from({ length: 5 }, (_, i) => ({ number: i + 1, title: `issue ${i + 1}` }));
const PER_PAGE = 2;

let server: FakeServer;
const failFirst = flaky();
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', server.origin);
    if (url.pathname === '/repos/sess/sess') {
      if (failFirst('repo', res)) return;
      return sendJson(res, 200, { id: 1, full_name: 'sess/sess', private: false });
    }
    if (url.pathname === '/repos/sess/sess/issues') {
      const page = Number(url.searchParams.get('page') ?? '1');
      if (page === 2 && failFirst('issues-2', res)) return;
      const last = Math.ceil(ISSUES.length / PER_PAGE);
      const link = (p: number, rel: string) =>
        `<${server.origin}/repos/sess/sess/issues?per_page=${PER_PAGE}&page=${p}>; rel="${rel}"`;
      const rels = [page < last ? link(page + 1, 'next') : '', link(last, 'last')].filter(Boolean);
      return sendJson(res, 200, ISSUES.slice((page - 1) * PER_PAGE, page * PER_PAGE), {
        link: rels.join(', '),
      });
    }
    sendJson(res, 404, { message: 'Not Found' });
  });
});
afterAll(() => server.close());

describe('@octokit/core with session.fetch', () => {
  it('GETs a repository through the session (cookie, default header, retried 503)', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const octokit = new Octokit({ baseUrl: server.origin, auth: 'ghp_test', request: { fetch } });
    const { data, status, url } = await octokit.request('GET /repos/{owner}/{repo}', {
      owner: 'sess',
      repo: 'sess',
    });
    expect(status).toBe(200);
    expect(url).toBe(`${server.origin}/repos/sess/sess`);
    expect(data.full_name).toBe('sess/sess');
    const seen = server.seen.filter((s) => s.url === '/repos/sess/sess');
    expectRetried(seen, '/repos/sess/sess');
    expectSessionTraits(seen);
    expect(seen[1]?.headers.authorization).toBe('token ghp_test');
  });

  it('walks a paginated list through its Link headers', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const octokit = new Octokit({ baseUrl: server.origin, request: { fetch } });
    const titles: string[] = [];
    let res: { data: Array<{ title: string }>; headers: { link?: string | undefined } } =
      await octokit.request('GET /repos/{owner}/{repo}/issues', {
        owner: 'sess',
        repo: 'sess',
        per_page: PER_PAGE,
      });
    for (;;) {
      titles.push(...res.data.map((issue) => issue.title));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.link ?? '')?.[1];
      if (!next) break;
      res = await octokit.request({ method: 'GET', url: next });
    }
    expect(titles).toEqual(ISSUES.map((i) => i.title));
    const seen = server.seen.filter((s) => s.url.startsWith('/repos/sess/sess/issues'));
    // Three pages, the second one twice (a 503 first).
    expect(seen).toHaveLength(4);
    expectSessionTraits(seen);
  });
});
