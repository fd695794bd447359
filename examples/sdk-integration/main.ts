/**
 * An SDK given `session.fetch`: the openai client's requests go through a
 * sess Session, so they share its cookie jar, default headers, plugins
 * (here a retry of 503s) and connection pool with the rest of the app.
 */
import { retry } from '@sess/plugin-retry';
import OpenAI from 'openai';
import { Session } from 'sess';
import { startFakeOpenAI } from './fake-openai.js';

const api = await startFakeOpenAI();
try {
  await using s = new Session();
  s.headers.set('X-Team', 'sess');
  s.use(retry({ statusForcelist: [503], allowedMethods: null }));

  // `s.fetch` is bound: hand it over as it is. The SDK's own retries are off: the session retries.
  const client = new OpenAI({ apiKey: 'sk-fake', baseURL: api.baseURL, fetch: s.fetch, maxRetries: 0 });

  const reply = await client.chat.completions.create({
    model: 'gpt-fake',
    messages: [{ role: 'user', content: 'What do sessions do?' }],
  });
  console.log('reply:', reply.choices[0]?.message.content);
  console.log('jar after the reply:', s.cookies.getDict());

  const stream = await client.chat.completions.create({
    model: 'gpt-fake',
    messages: [{ role: 'user', content: 'Again, word by word.' }],
    stream: true,
  });
  process.stdout.write('streamed: ');
  for await (const part of stream) process.stdout.write(part.choices[0]?.delta.content ?? '');
  process.stdout.write('\n');
} finally {
  await api.close();
}
