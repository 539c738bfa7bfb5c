import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type CatalogMember } from '../../web/src/data/catalog.js';
import { LANGS } from '../../web/src/ui/i18n.js';
import { ADMIN_TOKEN, loadRows } from '../support/apiClient.js';
import { serveGeneratedWarehouse, type ServedWarehouse } from '../support/warehouses.js';

/*
 * The model names every member it exposes in Japanese and English (meta.title_ja / title_en),
 * and labels every value a categorical dimension takes in the generated warehouse
 * (meta.values_ja / values_en), read through /meta the way the web app reads it. A member an
 * analyst adds without titles, or a new stored value without a label, fails here by name.
 */
let w: ServedWarehouse;
let members: CatalogMember[];
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

beforeAll(async () => {
  w = await serveGeneratedWarehouse('duckdb');
  const res = await fetch(`${w.server.url}/cubejs-api/v1/meta`, { headers: { Authorization: ADMIN_TOKEN() } });
  const catalog = buildCatalog((await res.json()).cubes);
  members = catalog.views.flatMap((v) => [...v.measures, ...v.dimensions]);
});
afterAll(async () => w?.stop());

/** Dimensions whose stored values are codes a user must read translated (not names, ids, numbers or times). */
const categorical = () => members.filter((m) => m.kind === 'dimension' && (m.type === 'string' || m.type === 'boolean') && !m.verbatim);

describe('model translations', () => {
  it('every measure and dimension of every view has a Japanese and an English title', () => {
    expect(members.length).toBeGreaterThan(150);
    const missing = members.filter((m) => LANGS.some((lang) => !m.titles[lang])).map((m) => m.name);
    expect(missing).toEqual([]);
    const notJapanese = members.filter((m) => !JAPANESE.test(m.titles.ja ?? '')).map((m) => `${m.name}: ${m.titles.ja}`);
    expect(notJapanese).toEqual([]);
  });

  it('every value of every categorical dimension in the generated warehouse has a Japanese and an English label', async () => {
    const dims = categorical();
    // The labelled dimensions the pages rely on are among them.
    expect(dims.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'customer_segments.rfm_segment',
        'customer_segments.tier',
        'customer_segments.region',
        'customer_segments.age_band',
        'customer_segments.gender',
        'executive_kpis.channel',
        'campaign_performance.group_name',
        'cohorts.signup_channel',
      ]),
    );
    const unlabelled: string[] = [];
    let values = 0;
    for (const d of dims) {
      const rows = await loadRows(w.server.url, { dimensions: [d.name], limit: 1000 });
      for (const r of rows) {
        const value = r[d.name];
        if (value === null) continue;
        values += 1;
        for (const lang of LANGS) if (!d.values[lang][String(value)]) unlabelled.push(`${d.name} = ${value} (${lang})`);
      }
    }
    expect(unlabelled).toEqual([]);
    expect(values).toBeGreaterThan(100);
  });

  it('Japanese value labels are Japanese (or a brand such as EC, LINE, DM), and views have titles too', () => {
    const ascii = categorical().flatMap((d) =>
      Object.entries(d.values.ja)
        .filter(([, l]) => !JAPANESE.test(l) && !/^(EC|LINE|DM|\d+.*)$/.test(l))
        .map(([v, l]) => `${d.name}: ${v} → ${l}`),
    );
    expect(ascii).toEqual([]);
  });
});
