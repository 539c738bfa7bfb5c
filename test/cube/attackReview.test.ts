import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, loadRows, tokenFor } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// Attacks from the review of issue 19's fixes, made as tenant t01's marketer against the
// running product over the generated warehouse (minimum group size 10). Each failed before its fix.
let w: ServedWarehouse;
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });
const executive = tokenFor({ tenant_id: 't01', role: 'executive' });
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

describe('a member’s tier history does not reach roles under suppression through a string key', () => {
  // The tier cubes' primary keys are strings made of the member number and a date
  // ('1-2025-10-03': member 1 has held a tier since 3 October 2025). Strings count as
  // categories, so before the fix a marketer grouping by the key got one row per member and
  // interval (figures blanked, row kept): every member's tier history with their number, and
  // a filter `key startsWith '1-'` picked one member out for a yes/no about them.
  const keyQueries = {
    'tier intervals by key': { dimensions: ['customer_tier_history.key', 'customer_tier_history.tier'], measures: ['customer_tier_history.members'], limit: 20 },
    'tier intervals by key, no measure': { dimensions: ['customer_tier_history.key'], limit: 20 },
    'tier migrations by key': { dimensions: ['tier_migration.key', 'tier_migration.from_tier', 'tier_migration.to_tier'], measures: ['tier_migration.members'], limit: 20 },
    'one member picked out by the key': { measures: ['customer_tier_history.members'], filters: [{ member: 'customer_tier_history.key', operator: 'startsWith', values: ['1-'] }] },
  };

  for (const [name, query] of Object.entries(keyQueries)) {
    it(`refuses ${name}, for a marketer and an executive`, async () => {
      for (const token of [marketer, executive]) {
        const { status, body } = await load(w.server.url, query, token);
        // Before: 200 with rows such as { key: '1-2025-10-03', tier: 'regular' }.
        expect(status).toBe(400);
        expect(JSON.stringify(body)).not.toMatch(/"\d+-\d{4}-\d{2}-\d{2}/);
      }
    });
  }

  it('still gives a crm_manager one member’s tier timeline (Customer 360), which needs no key', async () => {
    const rows = await loadRows(
      w.server.url,
      {
        dimensions: ['customer_tier_history.tier', 'customer_tier_history.valid_from', 'customer_tier_history.valid_to'],
        filters: [{ member: 'customer_tier_history.customer_id', operator: 'equals', values: ['1'] }],
        order: { 'customer_tier_history.valid_from': 'asc' },
      },
      manager,
    );
    expect(rows.length).toBeGreaterThan(0);
  });
});
