import * as pkg from '@sess/cache-store-redis';
import { describe, expect, it } from 'vitest';

describe('@sess/cache-store-redis exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_COMMAND_TIMEOUT",
        "RedisCacheStore",
      ]
    `);
  });
});
