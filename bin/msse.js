#!/usr/bin/env node
// Dawn's GLES path on Mesa needs EGL_PLATFORM in the C environment before the addon loads
// (runbook pitfall 3); setting it here, in the main thread, reaches setenv.
process.env.EGL_PLATFORM ??= 'surfaceless';
await import('../dist/cli.js');
