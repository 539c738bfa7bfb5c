import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMemberNumber, searchQuery } from '../../web/src/customer/customerQueries.js';
import { contactListQuery } from '../../web/src/segments/segmentQueries.js';
import { load, loadRows, tokenFor } from '../support/apiClient.js';
import { queryDuckDBFile } from '../support/duckdbFile.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

// The Customer 360 and contact-list queries the web app builds, run through the real API on the
// generated warehouse and held to plain SQL on the DuckDB file.
let w: ServedWarehouse;
const manager = tokenFor({ tenant_id: 't01', role: 'crm_manager' });
const marketer = tokenFor({ tenant_id: 't01', role: 'marketer' });

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
});
afterAll(async () => w?.stop());

describe('contact lists', () => {
  it("hold exactly the segment's members who opted in to email (email) or are LINE-linked (LINE)", async () => {
    const champions = [{ dimension: 'customer_segments.rfm_segment', value: 'champions' }];
    const segment = await loadRows(
      w.server.url,
      { dimensions: ['customer_segments.customer_id'], filters: [{ member: 'customer_segments.rfm_segment', operator: 'equals', values: ['champions'] }], limit: 100000 },
      manager,
    );
    const ids = segment.map((r) => Number(r['customer_segments.customer_id']));
    const consent = async (column: string) =>
      (await queryDuckDBFile(w.duckdbFile, `SELECT customer_id FROM customers WHERE tenant_id = 't01' AND ${column} AND customer_id IN (${ids.join(',')}) ORDER BY 1`)).map((r) =>
        Number(r.customer_id),
      );
    const email = await loadRows(w.server.url, contactListQuery('email', champions), manager);
    const line = await loadRows(w.server.url, contactListQuery('line', champions), manager);
    const expectedEmail = await consent('email_opt_in AND email IS NOT NULL');
    const expectedLine = await consent('line_linked');
    console.log(`contact lists of t01 champions: segment ${ids.length}, email ${email.length} (was ${ids.length} before consent), LINE ${line.length}`);
    expect(expectedEmail.length).toBeGreaterThan(0);
    expect(expectedEmail.length).toBeLessThan(ids.length);
    expect(email.map((r) => Number(r['email_contact_list.customer_id']))).toEqual(expectedEmail);
    expect(line.map((r) => Number(r['line_contact_list.customer_id']))).toEqual(expectedLine);
    // Every exported email row is opted in (checked row by row against the warehouse).
    const [{ n }] = await queryDuckDBFile(
      w.duckdbFile,
      `SELECT count(*) AS n FROM customers WHERE NOT email_opt_in AND customer_id IN (${email.map((r) => r['email_contact_list.customer_id']).join(',')})`,
    );
    expect(Number(n)).toBe(0);
  });

  it("hold the tenant's whole opted-in membership when the segment has no condition", async () => {
    const email = await loadRows(w.server.url, contactListQuery('email', []), manager);
    const [{ n, optedIn, linked }] = await queryDuckDBFile(
      w.duckdbFile,
      "SELECT count(*) AS n, count(*) FILTER (WHERE email_opt_in AND email IS NOT NULL) AS optedIn, count(*) FILTER (WHERE line_linked) AS linked FROM customers WHERE tenant_id = 't01'",
    );
    const line = await loadRows(w.server.url, contactListQuery('line', []), manager);
    console.log(`contact lists of t01: ${n} members, email ${email.length}, LINE ${line.length}`);
    expect([email.length, line.length]).toEqual([Number(optedIn), Number(linked)]);
  });

  it('are refused to a marketer (personal data)', async () => {
    const { status } = await load(w.server.url, contactListQuery('email', []), marketer);
    expect(status).toBe(403);
  });
});

describe('finding a member', () => {
  it("answers a member number typed as text with 400 naming the member, not the warehouse's conversion error", async () => {
    for (const member of ['customer_segments.customer_id', 'customer_orders.customer_id']) {
      const { status, body } = await load(w.server.url, { dimensions: [member], filters: [{ member, operator: 'equals', values: ['abc'] }] }, manager);
      expect([status, body.error]).toEqual([400, `${member} is a number; the filter value "abc" is not.`]);
    }
  });

  it('finds a member by number, name, email and phone for a CRM manager, and an unknown number finds no one', async () => {
    const [person] = await queryDuckDBFile(w.duckdbFile, "SELECT customer_id, name, email, phone FROM customers WHERE tenant_id = 't01' ORDER BY customer_id LIMIT 1 OFFSET 7");
    const columns = ['customer_segments.name'];
    for (const [field, text] of [
      ['customer_id', String(person.customer_id)],
      ['name', String(person.name)],
      ['email', String(person.email).split('@')[0]],
      ['phone', String(person.phone)],
    ] as const) {
      const rows = await loadRows(w.server.url, searchQuery(field, text, columns), manager);
      expect(
        rows.map((r) => Number(r['customer_segments.customer_id'])),
        field,
      ).toContain(Number(person.customer_id));
    }
    expect(await loadRows(w.server.url, searchQuery('customer_id', parseMemberNumber('99999999')!, columns), manager)).toEqual([]);
  });

  it('refuses a marketer a search by email, name or phone', async () => {
    for (const field of ['email', 'name', 'phone'] as const) {
      const { status, body } = await load(w.server.url, searchQuery(field, 'a', []), marketer);
      expect([status, body.error]).toEqual([403, expect.stringContaining(`customer_segments.${field} is personal data`)]);
    }
  });
});
