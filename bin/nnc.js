#!/usr/bin/env node
// The `nnc` command: runs the bundled CLI (`npm run build` makes dist/).
import "../dist/cli.js";
