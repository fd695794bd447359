import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests read each package's src/ through the `@sess/source` export condition,
// so no build is needed before `pnpm test`.
// Vite's default server conditions, with ours first.
const conditions = ['@sess/source', 'module', 'node', 'development|production'];
const pkgs = ['core', 'cookies', 'cookie-store-redis', 'adapter-undici', 'testkit', 'sess'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@sess/source'] } },
  test: {
    projects: pkgs.map((name) => ({
      extends: true,
      test: {
        name,
        root: fileURLToPath(new URL(`./packages/${name}`, import.meta.url)),
        include: ['test/**/*.test.ts'],
        testTimeout: 20_000,
        hookTimeout: 20_000,
      },
    })),
  },
});
