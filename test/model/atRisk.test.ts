import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../cube/server.js';
import { fitEveryTenant } from '../../seeds/clv/fitTenant.js';
import { generateWarehouse } from '../../seeds/generate.js';
import { load, loadRows, TEST_SECRET, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { TEST_WAREHOUSE } from '../support/warehouses.js';

// "Customers at risk" (customer_segments.at_risk) on the generated test warehouse after the CLV
// fit, against the rule applied here in plain TypeScript to the customer_predictions rows: value
// if still active (predicted CLV / P(alive)) in the tenant's top 20 % by percent rank, and
// P(alive) below 0.5.
const tmp = tempDir('crm-at-risk-');
const file = path.join(tmp.dir, 'warehouse.duckdb');
let server: RunningServer;
/** customer_id → tenant and predicted CLV of the members the rule picks, computed here. */
const atRisk = new Map<string, { tenant: string; clv: number }>();

beforeAll(async () => {
  await generateWarehouse({ out: file, ...TEST_WAREHOUSE });
  await fitEveryTenant(file, () => {});
  const rows = await queryDuckDBFile(file, 'SELECT customer_id, tenant_id, p_alive, predicted_clv_12m FROM customer_predictions');
  for (const tenant of new Set(rows.map((r) => String(r.tenant_id)))) {
    const own = rows.filter((r) => r.tenant_id === tenant);
    // A member with P(alive) 0 has no value if active: it ranks lowest.
    const value = (r: (typeof rows)[number]) => (Number(r.p_alive) > 0 ? Number(r.predicted_clv_12m) / Number(r.p_alive) : -Infinity);
    for (const r of own) {
      const below = own.filter((o) => value(o) < value(r)).length;
      const percentRank = below / (own.length - 1);
      if (percentRank >= 0.8 && Number(r.p_alive) < 0.5) atRisk.set(String(r.customer_id), { tenant, clv: Number(r.predicted_clv_12m) });
    }
  }
  server = await startServer({ warehouse: file, apiSecret: TEST_SECRET, port: 0, webDist: null, refreshIntervalSeconds: 0 });
}, 180_000);
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

const AT_RISK = { member: 'customer_segments.at_risk', operator: 'equals', values: ['true'] };

describe('customers at risk', () => {
  it('are the members the rule picks, with their P(alive) and predicted CLV', async () => {
    // Measured: 8 members of t01 and 13 of t02 (of 1,309 and 877 with a prediction).
    expect([...atRisk.values()].filter((m) => m.tenant === 't01')).toHaveLength(8);
    expect([...atRisk.values()].filter((m) => m.tenant === 't02')).toHaveLength(13);
    const listed = await loadRows(server.url, {
      dimensions: ['customer_segments.customer_id', 'customer_segments.member_p_alive', 'customer_segments.member_predicted_clv'],
      filters: [AT_RISK],
    });
    expect(listed.map((r) => r['customer_segments.customer_id']).sort()).toEqual([...atRisk.keys()].sort());
    for (const r of listed) {
      expect(Number(r['customer_segments.member_p_alive'])).toBeLessThan(0.5);
      expect(Number(r['customer_segments.member_predicted_clv'])).toBeCloseTo(atRisk.get(r['customer_segments.customer_id']!)!.clv, 2);
    }
  });

  it('count and sum by tenant and by RFM segment', async () => {
    const byTenant = await loadRows(server.url, {
      measures: ['customer_segments.segment_size', 'customer_segments.predicted_clv_total'],
      dimensions: ['customer_segments.tenant_id'],
      filters: [AT_RISK],
      order: { 'customer_segments.tenant_id': 'asc' },
    });
    const sum = (tenant: string) => [...atRisk.values()].filter((m) => m.tenant === tenant).reduce((s, m) => s + m.clv, 0);
    expect(byTenant.map((r) => [r['customer_segments.tenant_id'], Number(r['customer_segments.segment_size'])])).toEqual([
      ['t01', 8],
      ['t02', 13],
    ]);
    byTenant.forEach((r) => expect(Number(r['customer_segments.predicted_clv_total'])).toBeCloseTo(sum(r['customer_segments.tenant_id']!), 2));
    const bySegment = await loadRows(server.url, { measures: ['customer_segments.segment_size'], dimensions: ['customer_segments.rfm_segment'], filters: [AT_RISK] });
    expect(bySegment.reduce((s, r) => s + Number(r['customer_segments.segment_size']), 0)).toBe(atRisk.size);
  });

  it('are counted for a marketer only in groups of 10 or more, and a list of fewer than 10 is withheld whole', async () => {
    const marketer = tokenFor({ tenant_id: 't02', role: 'marketer' });
    const { body } = await load(
      server.url,
      { measures: ['customer_segments.segment_size', 'customer_segments.predicted_clv_total'], dimensions: ['customer_segments.rfm_segment'], filters: [AT_RISK] },
      marketer,
    );
    // t02's 13 at-risk members fall in several RFM segments, each under 10: every figure blanked.
    expect(body.data.length).toBeGreaterThan(0);
    for (const row of body.data) expect(row['customer_segments.segment_size']).toBeNull();
    const [total] = await loadRows(server.url, { measures: ['customer_segments.segment_size'], filters: [AT_RISK] }, marketer);
    // 13, with the sticky noise every figure a marketer reads carries (whole counts move by at most 2).
    expect(Math.abs(Number(total['customer_segments.segment_size']) - 13)).toBeLessThanOrEqual(2);
    // t01 has 8 at-risk members: their list is under the minimum group size.
    const list = await load(server.url, { dimensions: ['customer_segments.customer_id'], filters: [AT_RISK] }, tokenFor({ tenant_id: 't01', role: 'marketer' }));
    expect(list.body.data).toEqual([]);
    expect(list.body.suppressed).toMatchObject({ rows: 'all' });
  });
});
