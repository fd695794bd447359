import * as pkg from '@sess/cookie-store-redis';
import { describe, expect, it } from 'vitest';

describe('@sess/cookie-store-redis exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toMatchInlineSnapshot(`
      [
        "RedisCookieStore",
        "cookieId",
        "cookieKey",
      ]
    `);
  });
});
