import { describe, expect, it } from 'vitest';
import { getEnvCaBundle } from '../src/env/ca-bundle.js';

describe('getEnvCaBundle', () => {
  const all = { REQUESTS_CA_BUNDLE: '/r.pem', CURL_CA_BUNDLE: '/c.pem', SSL_CERT_FILE: '/s.pem' };

  it('prefers REQUESTS_CA_BUNDLE, then CURL_CA_BUNDLE, then SSL_CERT_FILE', () => {
    expect(getEnvCaBundle(all)).toBe('/r.pem');
    expect(getEnvCaBundle({ ...all, REQUESTS_CA_BUNDLE: undefined })).toBe('/c.pem');
    expect(getEnvCaBundle({ SSL_CERT_FILE: '/s.pem' })).toBe('/s.pem');
  });

  it('skips empty and blank values', () => {
    expect(getEnvCaBundle({ ...all, REQUESTS_CA_BUNDLE: '', CURL_CA_BUNDLE: '  ' })).toBe('/s.pem');
    expect(getEnvCaBundle({ REQUESTS_CA_BUNDLE: '', CURL_CA_BUNDLE: '', SSL_CERT_FILE: '' })).toBeUndefined();
  });

  it('is undefined when nothing is set', () => {
    expect(getEnvCaBundle({})).toBeUndefined();
  });
});
