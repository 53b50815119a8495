#!/usr/bin/env node
import 'reflect-metadata';
import { main } from './composition/main';

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sora2-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
