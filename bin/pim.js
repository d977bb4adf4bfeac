#!/usr/bin/env node
// The `pim` command. The CLI is TypeScript; tsx compiles it on the fly so a fresh clone needs no build step.
"use strict";
require("tsx/cjs");
const { main } = require("../scripts/pim.ts");

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A bug in the tool, not a user mistake: say so, keep the stack for the report.
    process.stderr.write(`pim: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
