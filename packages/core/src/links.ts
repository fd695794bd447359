/** One entry of a Link header (RFC 8288), keyed by its `rel`. */
export interface Link {
  url: string;
  rel: string;
  [param: string]: string;
}

/** Parses a Link header into `{ rel: { url, rel, ...params } }`; URLs resolved against `base`. */
export function parseLinkHeader(header: string, base: string): Record<string, Link> {
  const out: Record<string, Link> = {};
  // Split on commas that start a new `<...>` entry, not commas inside quoted params.
  for (const part of header.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    let url = m[1] as string;
    try {
      url = new URL(url, base).href;
    } catch {
      // keep the raw reference when it cannot be resolved
    }
    const link: Link = { url, rel: '' };
    for (const p of (m[2] as string).split(';')) {
      const kv = /^\s*([^=\s]+)\s*=\s*"?([^"]*)"?\s*$/.exec(p);
      if (kv) link[(kv[1] as string).toLowerCase()] = kv[2] as string;
    }
    const key = link.rel || link.url;
    out[key] = link;
  }
  return out;
}
