import { REDACTED, Redactor } from '@sess/plugin-logging';
import { describe, expect, it } from 'vitest';
import { scrub } from '../src/redact.js';

const r = new Redactor({ redactHeaders: ['X-Api-Key'], redactQuery: ['sid'] });

describe('Redactor', () => {
  it('URLs: userinfo and secret query values, case-insensitive, nothing else re-encoded', () => {
    expect(r.url('http://u:p@h.test/a%20b?Token=t1&x=%2F&API_KEY=k&sid=s#frag')).toBe(
      `http://${REDACTED}@h.test/a%20b?Token=${REDACTED}&x=%2F&API_KEY=${REDACTED}&sid=${REDACTED}#frag`,
    );
    expect(r.url('http://h.test/?access%5Ftoken=z')).toBe(`http://h.test/?access%5Ftoken=${REDACTED}`);
    expect(r.url('/relative?password=pw')).toBe(`/relative?password=${REDACTED}`);
  });

  it('headers: the defaults plus redactHeaders', () => {
    expect(
      r.headers([
        ['Authorization', 'Basic abc'],
        ['proxy-authorization', 'x'],
        ['Cookie', 'a=b'],
        ['Set-Cookie', 'c=d'],
        ['x-api-key', 'k'],
        ['Accept', '*/*'],
      ]),
    ).toEqual([
      ['Authorization', REDACTED],
      ['proxy-authorization', REDACTED],
      ['Cookie', REDACTED],
      ['Set-Cookie', REDACTED],
      ['x-api-key', REDACTED],
      ['Accept', '*/*'],
    ]);
  });

  it('free text: auth schemes, userinfo, query values, and collected secrets', () => {
    const secrets = r.collect(new Set(), [
      ['Authorization', `Basic ${Buffer.from('alice:wonder-pass').toString('base64')}`],
      ['Cookie', 'sid=cookie-value; other=second-value'],
    ]);
    const text =
      'failed http://bob:hunter2@x.test/?secret=s3 with Bearer abc.def and Digest username="u", response="r" ' +
      'then echoed wonder-pass and cookie-value and second-value';
    const out = r.text(text, secrets);
    expect(out).not.toMatch(/hunter2|s3 |abc\.def|response="r"|wonder-pass|cookie-value|second-value/);
    expect(out).toContain(`Bearer ${REDACTED}`);
    expect(scrub('a-long-secret here', new Set(['a-long-secret']))).toBe(`${REDACTED} here`);
  });

  it('bodies: JSON keys (query keys and header names), forms, and text', () => {
    const json = JSON.stringify({
      token: 't',
      nested: { Authorization: 'x', list: [{ password: 'p' }] },
      ok: 1,
    });
    expect(JSON.parse(r.body(json, 'application/json', new Set()))).toEqual({
      token: REDACTED,
      nested: { Authorization: REDACTED, list: [{ password: REDACTED }] },
      ok: 1,
    });
    // Nothing secret: the text is kept as it was, spacing included.
    expect(r.body('{ "a": 1 }', 'application/json', new Set())).toBe('{ "a": 1 }');
    expect(r.body('user=a&password=b', 'application/x-www-form-urlencoded', new Set())).toBe(
      `user=a&password=${REDACTED}`,
    );
  });
});
