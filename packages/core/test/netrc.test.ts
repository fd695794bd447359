import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expireNetrcChecks,
  findNetrcEntry,
  getNetrcAuth,
  NetrcParseError,
  netrcPaths,
  parseNetrc,
} from '../src/env/netrc.js';

const root = mkdtempSync(join(tmpdir(), 'sess-netrc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh directory holding a `.netrc` with `text`; returns an env whose HOME points there. */
function home(text?: string): { env: NodeJS.ProcessEnv; file: string } {
  const dir = join(root, `home-${++counter}`);
  mkdirSync(dir);
  const file = join(dir, '.netrc');
  if (text !== undefined) writeFileSync(file, text);
  return { env: { HOME: dir, USERPROFILE: dir }, file };
}

describe('parseNetrc', () => {
  it('reads machine and default entries with login, password and account', () => {
    const entries = parseNetrc(
      'machine a.test login alice password s3cret\n' +
        'machine b.test\n  login bob\n  account acct\n  password "pass with spaces"\n' +
        'default login anon password guest\n',
    );
    expect(entries).toEqual([
      { machine: 'a.test', login: 'alice', password: 's3cret', account: undefined },
      { machine: 'b.test', login: 'bob', password: 'pass with spaces', account: 'acct' },
      { machine: null, login: 'anon', password: 'guest', account: undefined },
    ]);
  });

  it('handles quotes, backslash escapes and comments', () => {
    const entries = parseNetrc(
      '# a comment line\n' +
        'machine q.test # trailing comment\n' +
        'login "quoted \\"user\\"" password pa\\ ss#not-a-comment\n',
    );
    expect(entries).toEqual([
      { machine: 'q.test', login: 'quoted "user"', password: 'pa ss#not-a-comment', account: undefined },
    ]);
  });

  it('skips macdef bodies up to a blank line', () => {
    const entries = parseNetrc(
      'machine a.test login a password pa\n' +
        'macdef init\n' +
        'cd /pub\n' +
        'machine fake.test login evil password evil\n' +
        '\n' +
        'machine b.test login b password pb\n',
    );
    expect(entries.map((e) => e.machine)).toEqual(['a.test', 'b.test']);
    expect(parseNetrc('macdef m\nbody only to the end')).toEqual([]);
  });

  it('accepts user as a synonym of login', () => {
    expect(parseNetrc('machine u.test user u password p')[0]?.login).toBe('u');
  });

  it('throws NetrcParseError on malformed input', () => {
    expect(() => parseNetrc('machine a.test login')).toThrow(NetrcParseError);
    expect(() => parseNetrc('login alone password p')).toThrow(/outside a machine/);
    expect(() => parseNetrc('machine a.test bogus x')).toThrow(/unexpected token "bogus"/);
    expect(() => parseNetrc('machine a.test password "unterminated')).toThrow(/unterminated/);
    expect(() => parseNetrc('\n\nmachine a.test\nlogin x\nfoo')).toThrow(/line 5/);
  });

  it('finds the first matching machine, ignoring case, else the default', () => {
    const entries = parseNetrc(
      'machine a.test login first password 1\nmachine A.TEST login second password 2\ndefault login d password dd',
    );
    expect(findNetrcEntry(entries, 'a.test')?.login).toBe('first');
    expect(findNetrcEntry(entries, 'other.test')?.login).toBe('d');
    expect(findNetrcEntry(parseNetrc('machine a.test login x'), 'b.test')).toBeUndefined();
  });
});

describe('getNetrcAuth', () => {
  const TEXT = 'machine example.test login alice password wonder\nmachine ::1 login six password v6\n';

  it('reads ~/.netrc from the HOME in env and matches the host without its port', () => {
    const { env } = home(TEXT);
    expect(getNetrcAuth('https://example.test:8443/path?q', env)).toEqual(['alice', 'wonder']);
    expect(getNetrcAuth('http://EXAMPLE.test/', env)).toEqual(['alice', 'wonder']);
    expect(getNetrcAuth('http://[::1]:8080/', env)).toEqual(['six', 'v6']);
    expect(getNetrcAuth('http://other.test/', env)).toBeUndefined();
    expect(getNetrcAuth('http://sub.example.test/', env)).toBeUndefined();
  });

  it('falls back to the default entry', () => {
    const { env } = home(`${TEXT}default login anonymous password me@example.test\n`);
    expect(getNetrcAuth('http://other.test/', env)).toEqual(['anonymous', 'me@example.test']);
  });

  it('uses NETRC instead of ~/.netrc when set', () => {
    const { env } = home(TEXT);
    const custom = join(root, `custom-${++counter}`);
    writeFileSync(custom, 'machine example.test login fromNETRC password p\n');
    expect(getNetrcAuth('http://example.test/', { ...env, NETRC: custom })).toEqual(['fromNETRC', 'p']);
    // NETRC names the only file tried: a missing one does not fall back to ~/.netrc.
    expect(getNetrcAuth('http://example.test/', { ...env, NETRC: join(root, 'missing') })).toBeUndefined();
  });

  it('takes the account as user name when there is no login, and an empty password when none', () => {
    const { env } = home('machine a.test account acct password p\nmachine b.test login only\n');
    expect(getNetrcAuth('http://a.test/', env)).toEqual(['acct', 'p']);
    expect(getNetrcAuth('http://b.test/', env)).toEqual(['only', '']);
  });

  it('returns undefined, never throws, for missing, malformed or unusable files', () => {
    expect(getNetrcAuth('http://example.test/', home().env)).toBeUndefined();
    expect(getNetrcAuth('http://example.test/', home('machine example.test login').env)).toBeUndefined();
    expect(getNetrcAuth('http://example.test/', home('machine example.test\n').env)).toBeUndefined();
    const dirAsFile = home();
    mkdirSync(dirAsFile.file);
    expect(getNetrcAuth('http://example.test/', dirAsFile.env)).toBeUndefined();
    expect(getNetrcAuth('not a url', home(TEXT).env)).toBeUndefined();
  });

  it('trusts its last look for a second, so requests do not stat the file each time', () => {
    const { env, file } = home(TEXT);
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'wonder']);
    writeFileSync(file, TEXT.replace('wonder', 'changed-and-longer'));
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'wonder']);
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'changed-and-longer']);
  });

  it('re-reads the file once it changes, and not before', () => {
    const { env, file } = home(TEXT);
    // A whole-second mtime, so restoring it below reproduces the stamp exactly.
    const mtime = new Date('2024-01-02T03:04:05Z');
    utimesSync(file, mtime, mtime);
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'wonder']);

    // Same size and mtime: served from the cache, so the new content is not seen.
    writeFileSync(file, TEXT.replace('wonder', 'WONDER'));
    utimesSync(file, mtime, mtime);
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'wonder']);

    // A new mtime: re-read.
    const later = new Date(mtime.getTime() + 5000);
    utimesSync(file, later, later);
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['alice', 'WONDER']);

    // A malformed edit is cached as "no credentials", and a fix is picked up.
    writeFileSync(file, 'machine example.test login');
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toBeUndefined();
    writeFileSync(file, 'machine example.test login fixed password p');
    expireNetrcChecks();
    expect(getNetrcAuth('http://example.test/', env)).toEqual(['fixed', 'p']);
  });
});

describe('netrcPaths', () => {
  it('is NETRC alone, else .netrc under HOME (and _netrc on Windows)', () => {
    expect(netrcPaths({ NETRC: '/x/netrc', HOME: '/home/u' })).toEqual(['/x/netrc']);
    const paths = netrcPaths({ HOME: '/home/u', USERPROFILE: '/home/u' });
    expect(paths[0]).toBe(join('/home/u', '.netrc'));
    expect(paths).toHaveLength(process.platform === 'win32' ? 2 : 1);
  });
});
