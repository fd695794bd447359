import * as pkg from '@sess/plugin-cache';
import { describe, expect, it } from 'vitest';

describe('@sess/plugin-cache exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toMatchInlineSnapshot(`
      [
        "FileCacheStore",
        "MemoryCacheStore",
        "cache",
        "cacheStatusOf",
        "decodeEntry",
        "encodeEntry",
        "entrySize",
      ]
    `);
  });
});
