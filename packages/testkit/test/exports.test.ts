import * as pkg from '@sess/testkit';
import { describe, expect, it } from 'vitest';

describe('@sess/testkit exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toEqual([
      'MockAdapter',
      'adapterConformance',
      'freePort',
      'httpbinAvailable',
      'startHttpbin',
      'startRedisServer',
      'startTestProxy',
      'startTestServer',
    ]);
  });
});
