import { describe, expect, it } from 'vitest';
import { DigestNonces, digestResponse, parseDigestParams } from '../src/server/digest.js';

const empty = Buffer.alloc(0);

describe('digest arithmetic', () => {
  // The worked examples of RFC 7616 §3.9.1, which the server must agree with.
  const rfc7616 = {
    user: 'Mufasa',
    password: 'Circle of Life',
    qop: 'auth' as const,
    method: 'GET',
    uri: '/dir/index.html',
    body: empty,
  };
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it('matches the RFC 7616 MD5 example', () => {
    expect(
      digestResponse({ ...rfc7616, algorithm: 'MD5' }, nonce, '00000001', cnonce, 'http-auth@example.org'),
    ).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('matches the RFC 7616 SHA-256 example', () => {
    expect(
      digestResponse(
        { ...rfc7616, algorithm: 'SHA-256' },
        nonce,
        '00000001',
        cnonce,
        'http-auth@example.org',
      ),
    ).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('matches the RFC 2617 example (MD5, qop=auth)', () => {
    const input = { ...rfc7616, password: 'Circle Of Life', algorithm: 'MD5' as const };
    expect(
      digestResponse(
        input,
        'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        '00000001',
        '0a4f113b',
        'testrealm@host.com',
      ),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });
});

describe('parseDigestParams', () => {
  it('reads quoted values with commas and escapes, and bare tokens', () => {
    expect(parseDigestParams('username="a\\"b", realm="x, y", qop=auth, nc=00000001')).toEqual({
      username: 'a"b',
      realm: 'x, y',
      qop: 'auth',
      nc: '00000001',
    });
  });
});

describe('DigestNonces', () => {
  it('issues a different nonce and opaque for each challenge', () => {
    const nonces = new DigestNonces();
    const a = nonces.challenge('auth', 'MD5');
    const b = nonces.challenge('auth', 'MD5');
    expect(a).not.toBe(b);
    expect(a).toMatch(
      /^Digest realm="[^"]+", nonce="[0-9a-f]{32}", opaque="[0-9a-f]{32}", algorithm=MD5, qop="auth"$/,
    );
    expect(nonces.challenge(null, 'SHA-256', true)).toMatch(/algorithm=SHA-256, stale=TRUE$/);
  });

  it('denies a header that is not Digest', () => {
    const nonces = new DigestNonces();
    const expectation = {
      user: 'u',
      password: 'p',
      qop: 'auth' as const,
      algorithm: 'MD5' as const,
      method: 'GET',
      uri: '/',
      body: empty,
    };
    expect(nonces.verify(undefined, expectation)).toBe('denied');
    expect(nonces.verify('Basic dTpw', expectation)).toBe('denied');
  });
});
