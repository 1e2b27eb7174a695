import { defineConfig } from 'vitest/config';

// Forks, not threads: EGL_PLATFORM must be in the C environment before Dawn loads (runbook pitfall 5),
// and each fork gets the parent's real environment.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
