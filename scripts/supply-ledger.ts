#!/usr/bin/env tsx
// The supply-ledger command line; see `--help`. The npm scripts in package.json call it.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
