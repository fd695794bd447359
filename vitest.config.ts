import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests read each package's src/ through the `@sess/source` export condition,
// so no build is needed before `pnpm test`.
// Vite's default server conditions, with ours first.
const conditions = ['@sess/source', 'module', 'node', 'development|production'];
// The Redis store's tests need a real redis-server. CI installs one and must run them; on a
// machine with only Node and npm they are left out, loudly, so `pnpm test` still works there.
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis && !process.env.CI) {
  console.warn(
    'cookie-store-redis, cache-store-redis: tests left out, redis-server is missing (apt-get install redis-server)',
  );
}
const pkgs = [
  'core',
  'cookies',
  ...(hasRedis || process.env.CI ? ['cookie-store-redis'] : []),
  'adapter-undici',
  'adapter-http2',
  'testkit',
  'sess',
  'plugin-retry',
  'plugin-logging',
  'plugin-cache',
  ...(hasRedis || process.env.CI ? ['cache-store-redis'] : []),
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@sess/source'] } },
  test: {
    projects: [
      ...pkgs.map((name) => ({
        extends: true,
        test: {
          name,
          root: fileURLToPath(new URL(`./packages/${name}`, import.meta.url)),
          include: ['test/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      })),
      // The example transport runs the adapter conformance suite, so CI keeps it honest.
      {
        extends: true,
        test: {
          name: 'fetch-adapter',
          root: fileURLToPath(new URL('./examples/fetch-adapter', import.meta.url)),
          include: ['test/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
    ],
  },
});
