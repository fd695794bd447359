import { GraphQLClient, gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appSession,
  expectSessionTraits,
  type FakeServer,
  flaky,
  sendJson,
  startServer,
} from './fetch-server.js';

/** graphql-request given session.fetch: queries with and without variables, POSTed as JSON. */
let server: FakeServer;
const failFirst = flaky();
beforeAll(async () => {
  server = await startServer((req, res, body) => {
    if (req.url !== '/graphql' || req.method !== 'POST') return sendJson(res, 404, {});
    const { query, variables } = JSON.parse(body.toString()) as {
      query: string;
      variables?: { id?: string };
    };
    if (query.includes('viewer')) {
      if (failFirst('viewer', res)) return;
      return sendJson(res, 200, { data: { viewer: { login: 'ada' } } });
    }
    if (query.includes('repository'))
      return sendJson(res, 200, { data: { repository: { id: variables?.id } } });
    sendJson(res, 200, { errors: [{ message: 'unknown field' }] });
  });
});
afterAll(() => server.close());

describe('graphql-request with session.fetch', () => {
  it('runs queries through the session (cookie, default header, retried 503)', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const client = new GraphQLClient(`${server.origin}/graphql`, {
      fetch,
      headers: { 'X-Client': 'graphql-request' },
    });
    const viewer = await client.request<{ viewer: { login: string } }>(gql`
      query {
        viewer {
          login
        }
      }
    `);
    expect(viewer.viewer.login).toBe('ada');
    const repo = await client.request<{ repository: { id: string } }>(
      gql`
        query ($id: ID!) {
          repository(id: $id) {
            id
          }
        }
      `,
      { id: 'R_1' },
    );
    expect(repo.repository.id).toBe('R_1');
    // The viewer query twice (a 503, then the plugin's retry), then the repository query.
    const queries = server.seen.map((s) => (JSON.parse(s.body.toString()) as { query: string }).query);
    expect(queries.map((q) => (q.includes('viewer') ? 'viewer' : 'repository'))).toEqual([
      'viewer',
      'viewer',
      'repository',
    ]);
    expectSessionTraits(server.seen);
    for (const s of server.seen) {
      expect(s.headers['x-client']).toBe('graphql-request');
      expect(s.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('a GraphQL error reaches the client as its ClientError', async () => {
    const { session, fetch } = appSession();
    await using _ = session;
    const client = new GraphQLClient(`${server.origin}/graphql`, { fetch });
    await expect(client.request('query { nope }')).rejects.toThrow(/unknown field/);
  });
});
