import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../src/links.js';

const BASE = 'https://api.example.test/v1/items?page=2';

describe('parseLinkHeader', () => {
  it('parses GitHub-style pagination', () => {
    const header =
      '<https://api.example.test/v1/items?page=3>; rel="next", ' +
      '<https://api.example.test/v1/items?page=9>; rel="last", ' +
      '<https://api.example.test/v1/items?page=1>; rel="first", ' +
      '<https://api.example.test/v1/items?page=1>; rel="prev"';
    const links = parseLinkHeader(header, BASE);
    expect(Object.keys(links)).toEqual(['next', 'last', 'first', 'prev']);
    expect(links.next).toEqual({ url: 'https://api.example.test/v1/items?page=3', rel: 'next' });
    expect(links.last?.url).toBe('https://api.example.test/v1/items?page=9');
  });

  it('resolves relative URLs against the base', () => {
    const links = parseLinkHeader(
      '</v1/items?page=3>; rel=next, <items?page=1>; rel=prev, <//cdn.test/x>; rel=cdn',
      BASE,
    );
    expect(links.next?.url).toBe('https://api.example.test/v1/items?page=3');
    expect(links.prev?.url).toBe('https://api.example.test/v1/items?page=1');
    expect(links.cdn?.url).toBe('https://cdn.test/x');
  });

  it('keeps other parameters, names lower-cased, quotes removed', () => {
    const links = parseLinkHeader(
      '<https://x.test/a.css>; rel="stylesheet"; Type="text/css"; title=Main',
      BASE,
    );
    expect(links.stylesheet).toEqual({
      url: 'https://x.test/a.css',
      rel: 'stylesheet',
      type: 'text/css',
      title: 'Main',
    });
  });

  it('tolerates whitespace around separators', () => {
    const links = parseLinkHeader('  <https://x.test/n> ;  rel = "next"  ,<https://x.test/p>;rel=prev', BASE);
    expect(links.next?.url).toBe('https://x.test/n');
    expect(links.prev?.url).toBe('https://x.test/p');
  });

  it('does not split on commas inside a URL or a quoted parameter', () => {
    const links = parseLinkHeader(
      '<https://x.test/a,b>; rel="next"; title="one, two", <https://x.test/c>; rel=last',
      BASE,
    );
    expect(links.next?.url).toBe('https://x.test/a,b');
    expect(links.next?.title).toBe('one, two');
    expect(links.last?.url).toBe('https://x.test/c');
  });

  it('an entry without rel is keyed by its URL', () => {
    const links = parseLinkHeader('<https://x.test/thing>', BASE);
    expect(links['https://x.test/thing']).toEqual({ url: 'https://x.test/thing', rel: '' });
  });

  it('skips garbage entries and returns {} for an empty header', () => {
    expect(parseLinkHeader('', BASE)).toEqual({});
    expect(parseLinkHeader('not a link', BASE)).toEqual({});
    const links = parseLinkHeader('garbage, <https://x.test/n>; rel=next', BASE);
    expect(Object.keys(links)).toEqual(['next']);
  });

  it('a later entry with the same rel wins', () => {
    const links = parseLinkHeader('<https://x.test/1>; rel=next, <https://x.test/2>; rel=next', BASE);
    expect(links.next?.url).toBe('https://x.test/2');
  });

  it('keeps an unresolvable reference as written', () => {
    const links = parseLinkHeader('<http://[bad>; rel=next', BASE);
    expect(links.next?.url).toBe('http://[bad');
  });
});
