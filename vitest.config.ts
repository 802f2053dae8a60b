import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers than that only make the multi-process tests slower.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
