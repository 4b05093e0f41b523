#!/usr/bin/env node
'use strict';
// The bin is a committed file (not build output) so that npm links it at install time, before the
// TypeScript build exists; it runs the compiled CLI.
const { main } = require('../build/cli.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error('xray-local:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
