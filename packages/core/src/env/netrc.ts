import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One `machine` (or `default`) entry of a netrc file. */
export interface NetrcEntry {
  /** The host name, or `null` for the `default` entry. */
  machine: string | null;
  login: string | undefined;
  password: string | undefined;
  account: string | undefined;
}

/** A netrc file that does not follow the grammar; `line` is 1-based. */
export class NetrcParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'NetrcParseError';
  }
}

const FIELDS: Record<string, 'login' | 'password' | 'account'> = {
  login: 'login',
  // Python's netrc (and so requests) accepts `user` as a synonym.
  user: 'login',
  password: 'password',
  account: 'account',
};

/**
 * Parses the text of a netrc file into its entries, in file order.
 *
 * Tokens are separated by whitespace; a token may be double-quoted, and `\`
 * escapes the next character. `#` starts a comment to the end of the line.
 * `macdef name` skips the macro body, up to the next blank line (or the end
 * of the file).
 *
 * @throws NetrcParseError for a token that is out of place or a keyword without its value.
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;

  const skipToEol = () => {
    while (i < n && text[i] !== '\n') i++;
  };
  /** The next token, or `undefined` at the end of the text. */
  const next = (): string | undefined => {
    for (;;) {
      while (i < n && /\s/.test(text[i] as string)) {
        if (text[i] === '\n') line++;
        i++;
      }
      if (i >= n) return undefined;
      if (text[i] !== '#') break;
      skipToEol();
    }
    let token = '';
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        if (text[i] === '\n') line++;
        token += text[i];
        i++;
      }
      if (i >= n) throw new NetrcParseError('unterminated quoted token', line);
      i++;
      return token;
    }
    while (i < n && !/\s/.test(text[i] as string)) {
      if (text[i] === '\\' && i + 1 < n) i++;
      token += text[i];
      i++;
    }
    return token;
  };
  const value = (keyword: string): string => {
    const v = next();
    if (v === undefined) throw new NetrcParseError(`"${keyword}" without a value`, line);
    return v;
  };

  let current: NetrcEntry | undefined;
  for (let tok = next(); tok !== undefined; tok = next()) {
    if (tok === 'machine' || tok === 'default') {
      current = {
        machine: tok === 'machine' ? value('machine') : null,
        login: undefined,
        password: undefined,
        account: undefined,
      };
      entries.push(current);
    } else if (tok === 'macdef') {
      value('macdef');
      skipToEol();
      // The body runs to the first empty line; the macro is for ftp and of no use here.
      while (i < n) {
        i++;
        line++;
        const start = i;
        skipToEol();
        if (text.slice(start, i).trim() === '') break;
      }
      current = undefined;
    } else {
      const field = Object.hasOwn(FIELDS, tok) ? FIELDS[tok] : undefined;
      if (!field) throw new NetrcParseError(`unexpected token ${JSON.stringify(tok)}`, line);
      if (!current) throw new NetrcParseError(`"${tok}" outside a machine or default entry`, line);
      current[field] = value(tok);
    }
  }
  return entries;
}

/**
 * The entry for `host`: the first `machine` with that name (compared without
 * case, as host names are), else the `default` entry.
 */
export function findNetrcEntry(
  entries: readonly NetrcEntry[],
  host: string,
  options: NetrcLookupOptions = {},
): NetrcEntry | undefined {
  const h = host.toLowerCase();
  const exact = entries.find((e) => e.machine?.toLowerCase() === h);
  return exact ?? (options.machineOnly ? undefined : entries.find((e) => e.machine === null));
}

/** How a netrc lookup may match. */
export interface NetrcLookupOptions {
  /** Only a `machine` entry for the host; never the `default` entry (used on redirects, where the host is the server's choice). */
  machineOnly?: boolean;
}

interface CacheSlot {
  stamp: string;
  /** `null`: no such file. */
  entries: NetrcEntry[] | undefined | null;
  checkedAt: number;
}

/** How long a lookup trusts the last `stat` of the file, in milliseconds. */
const RECHECK_MS = 1000;

// Keyed by path; `stamp` (mtime, size, inode) says whether the file changed since it was parsed.
const cache = new Map<string, CacheSlot>();

/** The netrc files to try, in order: `NETRC` alone when set, else `~/.netrc` (then `~/_netrc` on Windows). */
export function netrcPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NETRC) return [env.NETRC];
  const home = (process.platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME) || safeHomedir();
  if (!home) return [];
  // The same HOME gives the same paths; joining them anew on every request is waste.
  if (home !== lastHome) {
    const names = process.platform === 'win32' ? ['.netrc', '_netrc'] : ['.netrc'];
    lastHome = home;
    lastPaths = names.map((name) => join(home, name));
  }
  return [...lastPaths];
}

let lastHome: string | undefined;
let lastPaths: string[] = [];

function safeHomedir(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `[login, password]` for the host of `url` from the netrc file (requests'
 * `get_netrc_auth`): the file named by `NETRC`, else `~/.netrc` (and
 * `~/_netrc` on Windows), where `~` is `HOME` (`USERPROFILE` on Windows) of
 * `env`. The URL's host name is matched without its port; the `default`
 * entry applies when no `machine` does. When an entry has no `login`, its
 * `account` is the user name, as in requests.
 *
 * Never throws: a missing, unreadable or malformed file gives `undefined`.
 *
 * The parsed file is cached by path and revalidated with one `stat`
 * (mtime, size and inode) at most once a second, so a session does not
 * stat, re-read or re-parse the file for every request; an edit is picked
 * up within a second. An
 * edit that keeps size, inode and mtime (within the file system's mtime
 * resolution) can go unnoticed.
 */
export function getNetrcAuth(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  options: NetrcLookupOptions = {},
): [string, string] | undefined {
  return netrcAuthFrom(netrcPaths(env), url, options);
}

/** `getNetrcAuth` with the files already known (a session's environment snapshot). */
export function netrcAuthFrom(
  paths: readonly string[],
  url: string,
  options: NetrcLookupOptions = {},
): [string, string] | undefined {
  let host: string | undefined;
  for (const path of paths) {
    const entries = load(path);
    if (entries === null) continue;
    if (!entries) return undefined;
    // Parsed only once a file exists: without one (the common case) the lookup costs a cached stat.
    try {
      host = new URL(url).hostname;
    } catch {
      return undefined;
    }
    if (!host) return undefined;
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    const entry = findNetrcEntry(entries, host, options);
    if (!entry) return undefined;
    const user = entry.login || entry.account || '';
    const password = entry.password ?? '';
    if (!user && !password) return undefined;
    return [user, password];
  }
  return undefined;
}

/** `null`: no such file (try the next one); `undefined`: present but unusable. */
function load(path: string): NetrcEntry[] | undefined | null {
  const now = performance.now();
  const hit = cache.get(path);
  // Within the window the last answer stands: a stat per request would cost more than the request's own work.
  if (hit && now - hit.checkedAt < RECHECK_MS) return hit.entries;
  // No exception for the common case of no file.
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) {
    cache.set(path, { stamp: 'none', entries: null, checkedAt: now });
    return null;
  }
  const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
  if (hit && hit.stamp === stamp) {
    hit.checkedAt = now;
    return hit.entries;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // Unreadable now (permissions, a race with a delete): not cached, so a fix is seen on the next call.
    cache.delete(path);
    return undefined;
  }
  let entries: NetrcEntry[] | undefined;
  try {
    entries = parseNetrc(text);
  } catch {
    entries = undefined;
  }
  cache.set(path, { stamp, entries, checkedAt: now });
  return entries;
}

/** @internal Ends the trust window, so the next lookup stats every file again (tests). */
export function expireNetrcChecks(): void {
  for (const slot of cache.values()) slot.checkedAt = Number.NEGATIVE_INFINITY;
}
