#!/usr/bin/env node
// The supply-ledger command line (`npx supply-ledger --help`); the npm scripts call it through tsx.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
