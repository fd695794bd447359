import { describe, expect, it } from 'vitest';
import { HTTPError } from '../src/errors.js';
import { mockSession } from './support/session.js';

// The reason phrase is whatever the adapter hands over: core neither re-decodes nor replaces it.
// (For HTTP/1.1 over undici see packages/adapter-undici/test/reason-latin1.test.ts.)
describe('Response.reason: a non-ASCII reason phrase', () => {
  it('a latin-1 reason phrase from the adapter reaches reason and raiseForStatus as given', async () => {
    const { s } = mockSession(() => ({ status: 404, reason: 'Caf\u00e9 introuvable' }));
    const r = await s.get('http://api.test/menu');
    expect(r.reason).toBe('Café introuvable');
    expect(() => r.raiseForStatus()).toThrow(HTTPError);
    expect(() => r.raiseForStatus()).toThrow(
      '404 Client Error: Café introuvable for url: http://api.test/menu',
    );
    await s.close();
  });

  it('an empty reason falls back to the standard phrase', async () => {
    const { s } = mockSession(() => ({ status: 404, reason: '' }));
    expect((await s.get('http://api.test/')).reason).toBe('Not Found');
    await s.close();
  });
});
