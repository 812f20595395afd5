/**
 * The TypeScript types that mirror the schema. Enums come from the generated Prisma client, which
 * Prisma generates from prisma/schema; the drift test holds the migrations to that schema, and
 * this one holds the client's values to the database's own (pg_enum). The few unions that stay
 * hand-written, because they are text a view or function computes rather than an enum, are pinned
 * here to the definitions that compute them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as enums from '../../src/generated/prisma/enums.ts';
import { LOW_STOCK_STATUSES } from '../../src/inventory/views.ts';
import { SCHEMA_PATH } from '../../src/project.ts';
import { NODE_KINDS } from '../../src/traceability/trace.ts';
import { pool } from '../harness/db.ts';

/** Each Prisma enum of prisma/schema and the PostgreSQL type it maps to (`@@map`, `@@schema`). */
function schemaEnums(): Map<string, string> {
  const mapped = new Map<string, string>();
  for (const file of fs.readdirSync(SCHEMA_PATH).filter((name) => name.endsWith('.prisma'))) {
    const text = fs.readFileSync(path.join(SCHEMA_PATH, file), 'utf8');
    for (const [, name, body] of text.matchAll(/^enum (\w+) \{([^}]*)\}/gm)) {
      const type = /@@map\("(\w+)"\)/.exec(body!)?.[1];
      const schema = /@@schema\("(\w+)"\)/.exec(body!)?.[1];
      mapped.set(name!, `${schema}.${type}`);
    }
  }
  return mapped;
}

describe('the types the schema defines', () => {
  it("every enum of the generated client has exactly the database's labels, in order", async () => {
    const generated = Object.entries(enums).filter(([, value]) => typeof value === 'object');
    const mapped = schemaEnums();
    expect(generated.map(([name]) => name).sort()).toEqual([...mapped.keys()].sort());
    for (const [name, values] of generated) {
      const { rows } = await pool().query<{ label: string }>(
        'SELECT enumlabel AS label FROM pg_enum WHERE enumtypid = $1::regtype ORDER BY enumsortorder',
        [mapped.get(name)],
      );
      expect({ name, labels: Object.values(values as object) }).toEqual({ name, labels: rows.map((row) => row.label) });
    }
  });

  it('LowStockAlert.status has exactly the values mv_low_stock_alerts computes', async () => {
    const { rows } = await pool().query<{ definition: string }>("SELECT pg_get_viewdef('inventory.mv_low_stock_alerts') AS definition");
    const statusCase = /CASE([\s\S]*?)END AS status/.exec(rows[0]!.definition)![1]!;
    expect([...statusCase.matchAll(/'([A-Z_]+)'::text/g)].map((match) => match[1])).toEqual([...LOW_STOCK_STATUSES]);
  });

  it('NodeKind has exactly the kinds traceability.v_trace_node unites', async () => {
    const { rows } = await pool().query<{ definition: string }>("SELECT pg_get_viewdef('traceability.v_trace_node') AS definition");
    expect([...rows[0]!.definition.matchAll(/'([A-Z]+)'::text AS kind/g)].map((match) => match[1])).toEqual([...NODE_KINDS]);
  });
});
