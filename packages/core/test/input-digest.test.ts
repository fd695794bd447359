import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeDigestResponse,
  HTTPDigestAuth,
  isSupportedDigestAlgorithm,
  parseWwwAuthenticate,
} from '../src/auth/digest.js';
import { mockSession } from './support/session.js';

// RFC 7616 §3.9.1 inputs.
const RFC = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  method: 'GET',
  uri: '/dir/index.html',
  qop: 'auth' as const,
  nc: 1,
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
};

const H = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest('hex');

function params(header: string): Record<string, string> {
  return { ...(parseWwwAuthenticate(header)[0]?.params ?? {}) };
}

describe('digest: SHA-512 and SHA-512-256 (RFC 7616)', () => {
  it.each([
    ['SHA-512', 'sha512', 128],
    ['SHA-512-sess', 'sha512', 128],
    ['sha-512', 'sha512', 128],
    ['SHA-512-256', 'sha512-256', 64],
    ['SHA-512-256-sess', 'sha512-256', 64],
  ])('%s is answered with %s', (algorithm, hash, hexLength) => {
    expect(isSupportedDigestAlgorithm(algorithm)).toBe(true);
    const p = params(computeDigestResponse({ ...RFC, algorithm }));
    let ha1 = H(hash, `${RFC.username}:${RFC.realm}:${RFC.password}`);
    if (/-sess$/i.test(algorithm)) ha1 = H(hash, `${ha1}:${RFC.nonce}:${RFC.cnonce}`);
    const ha2 = H(hash, `GET:${RFC.uri}`);
    expect(p.response).toBe(H(hash, `${ha1}:${RFC.nonce}:00000001:${RFC.cnonce}:auth:${ha2}`));
    expect(p.response).toHaveLength(hexLength);
    expect(p.algorithm).toBe(algorithm);
  });

  it('SHA-512-256 is not SHA-512 cut short (its own initial values)', () => {
    const a = params(computeDigestResponse({ ...RFC, algorithm: 'SHA-512-256' })).response;
    const b = params(computeDigestResponse({ ...RFC, algorithm: 'SHA-512' })).response;
    expect(a).not.toBe(b?.slice(0, 64));
  });

  it('matches RFC 7616 §3.9.2 (SHA-512-256, UTF-8 username, userhash) as corrected by erratum 4897', () => {
    // The RFC prints username 4888…54ec and response ae66…79dd, computed with a draft
    // SHA-512-256; erratum 4897 gives the values of the final FIPS 180-4 function, checked here.
    const username = 'J\u00e4s\u00f8n Doe';
    const realm = 'api@example.org';
    const header = computeDigestResponse({
      username,
      password: 'Secret, or not?',
      realm,
      nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
      method: 'GET',
      uri: '/doe.json',
      qop: 'auth',
      nc: 1,
      cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
      algorithm: 'SHA-512-256',
      opaque: 'HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS',
      userhash: true,
    });
    const p = params(header);
    expect(p.username).toBe('793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b');
    expect(p.username).toBe(H('sha512-256', `${username}:${realm}`));
    expect(p.response).toBe('3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
    expect(p.userhash).toBe('true');
    expect(p.algorithm).toBe('SHA-512-256');
  });

  it('HTTPDigestAuth answers a SHA-512 challenge through a session', async () => {
    const challenge = 'Digest realm="r", qop="auth", nonce="n1", algorithm=SHA-512';
    const { s, mock } = mockSession((req) => {
      const auth = req.headers.get('authorization');
      if (!auth) return { status: 401, headers: { 'WWW-Authenticate': challenge } };
      const p = params(auth);
      const ha1 = H('sha512', 'u:r:p');
      const ha2 = H('sha512', `GET:${p.uri}`);
      const ok = p.response === H('sha512', `${ha1}:n1:${p.nc}:${p.cnonce}:auth:${ha2}`);
      return { status: ok ? 200 : 403 };
    });
    const res = await s.get('http://a.test/x?y=1', { auth: new HTTPDigestAuth('u', 'p') });
    expect(res.statusCode).toBe(200);
    expect(mock.calls).toHaveLength(2);
  });
});
