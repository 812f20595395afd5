#!/usr/bin/env tsx
// The supply-ledger command line run from source (the npm scripts call it); see src/cli/bin.ts.
import '../src/cli/bin.ts';
