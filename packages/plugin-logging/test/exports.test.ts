import * as mod from '@sess/plugin-logging';
import { describe, expect, it } from 'vitest';

describe('@sess/plugin-logging exports', () => {
  it('has the public names', () => {
    expect(Object.keys(mod).sort()).toEqual(
      [
        'CURL_BODY_LIMIT',
        'DEFAULT_LEVELS',
        'DEFAULT_REDACT_HEADERS',
        'DEFAULT_REDACT_QUERY',
        'REDACTED',
        'Redactor',
        'VERSION',
        'curlLine',
        'debugFromEnv',
        'har',
        'logging',
        'shellQuote',
      ].sort(),
    );
  });

  it('VERSION is the package version', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { version: string };
    expect(mod.VERSION).toBe(pkg.version);
  });
});
