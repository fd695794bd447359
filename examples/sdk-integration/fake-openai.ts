/**
 * A tiny stand-in for the OpenAI API on 127.0.0.1: `POST /v1/chat/completions`,
 * plain and streamed (server-sent events). Its first answer is a 503, as a
 * flaky upstream's would be, and it sets a cookie, so the example can show
 * the session's retry plugin and cookie jar at work. It logs what it sees.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAI {
  readonly baseURL: string;
  close(): Promise<void>;
}

const WORDS = ['Sessions ', 'remember ', 'cookies.'];

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let requests = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    requests++;
    console.log(
      `  server: #${requests} ${req.method} ${req.url} cookie=${req.headers.cookie ?? '-'} x-team=${req.headers['x-team'] ?? '-'}`,
    );
    if (requests === 1) return json(res, 503, { error: { message: 'overloaded, try again' } });
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { stream?: boolean };
    const cookie = { 'set-cookie': 'affinity=node-7; Path=/' };
    if (!body.stream) {
      return json(
        res,
        200,
        {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'gpt-fake',
          choices: [
            { index: 0, message: { role: 'assistant', content: WORDS.join('') }, finish_reason: 'stop' },
          ],
        },
        cookie,
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', ...cookie });
    for (const word of WORDS) {
      const delta = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-fake' };
      res.write(
        `data: ${JSON.stringify({ ...delta, choices: [{ index: 0, delta: { content: word } }] })}\n\n`,
      );
      // Spread out, so the client visibly prints each word as it arrives.
      await new Promise((r) => setTimeout(r, 150));
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
