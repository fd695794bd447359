import * as pkg from '@sess/adapter-http2';
import { describe, expect, it } from 'vitest';

describe('@sess/adapter-http2 exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toEqual(['Http2Adapter', 'isSocketAdopter']);
  });
});
