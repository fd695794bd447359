import * as pkg from '@sess/adapter-undici';
import { describe, expect, it } from 'vitest';

describe('@sess/adapter-undici exports', () => {
  it('lists exactly these runtime names', () => {
    expect(Object.keys(pkg).sort()).toEqual(['UndiciAdapter']);
  });
});
