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
    // A bug in the tool, not a user mistake (those are CliErrors, handled in scripts/pim.ts): say so, keep the stack
    // for the report. Exit 70 is EX_SOFTWARE (sysexits.h), as README "Main commands" documents.
    process.stderr.write(
      `pim: internal error (a bug in pim; please report it with this output):\n${err && err.stack ? err.stack : err}\n`,
    );
    process.exitCode = 70;
  },
);
