import { describe, expect, it } from 'vitest';
import {
  CookieJar,
  domainCandidates,
  isPublicSuffix,
  normalizeDomain,
  registrableDomain,
} from '../src/index.js';

describe('domain helpers', () => {
  it('normalizeDomain() gives the canonical form', () => {
    expect(normalizeDomain('.Example.COM')).toBe('example.com');
    expect(normalizeDomain(' bücher.example ')).toBe('xn--bcher-kva.example');
    expect(normalizeDomain('[::1]')).toBe('::1');
    expect(normalizeDomain('127.0.0.1')).toBe('127.0.0.1');
  });

  it('normalizeDomain() refuses what is not a domain', () => {
    for (const bad of ['', '.', 'http://example.com', 'a b.com', 'user@example.com', 'example.com/path']) {
      expect(() => normalizeDomain(bad), bad).toThrow(TypeError);
    }
    expect(() => new CookieJar().set('a', '1', { domain: 'https://example.com/' })).toThrow(TypeError);
  });

  it('domainCandidates() walks up the parent domains, and not for IPs', () => {
    expect(domainCandidates('a.b.example.com')).toEqual([
      'a.b.example.com',
      'b.example.com',
      'example.com',
      'com',
    ]);
    expect(domainCandidates('localhost')).toEqual(['localhost']);
    expect(domainCandidates('10.1.2.3')).toEqual(['10.1.2.3']);
    expect(domainCandidates('::1')).toEqual(['::1']);
  });

  it('knows public suffixes, ICANN and private', () => {
    expect(isPublicSuffix('com')).toBe(true);
    expect(isPublicSuffix('co.uk')).toBe(true);
    expect(isPublicSuffix('github.io')).toBe(true);
    expect(isPublicSuffix('example.co.uk')).toBe(false);
    expect(isPublicSuffix('localhost')).toBe(false);
    expect(isPublicSuffix('127.0.0.1')).toBe(false);
    expect(registrableDomain('a.b.example.co.uk')).toBe('example.co.uk');
  });
});
