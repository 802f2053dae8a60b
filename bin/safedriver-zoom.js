#!/usr/bin/env node
// The installed command line; the TypeScript sources are built to dist/ by `npm run build`.
import '../dist/src/cli/main.js';
