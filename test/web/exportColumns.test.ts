import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { measuresByUnit } from '../../web/src/explore/exploreQuery.js';
import { toCsv } from '../../web/src/ui/csv.js';
import { formatChange } from '../../web/src/ui/format.js';
import { exportTable } from '../../web/src/ui/exportColumns.js';

// Issue 20, items 5 and 6: an export is read in Excel by a Japanese marketer, and Explore draws
// each unit on its own axis. A three-member view as /meta lists it (titles and value labels in
// the model's meta); the expected texts are written out by hand from the figures below.
const catalog = buildCatalog([
  {
    name: 'kpis',
    measures: [
      { name: 'kpis.revenue', type: 'number', meta: { format: 'currency', title_ja: '売上', title_en: 'Revenue' } },
      { name: 'kpis.repeat_rate', type: 'number', meta: { format: 'percent', title_ja: 'リピート率', title_en: 'Repeat rate' } },
      { name: 'kpis.active_customers', type: 'number', meta: { title_ja: '購入会員数', title_en: 'Active customers' } },
    ],
    dimensions: [
      { name: 'kpis.ordered_at', type: 'time', meta: { title_ja: '注文日', title_en: 'Order date' } },
      { name: 'kpis.channel', type: 'string', meta: { title_ja: 'チャネル', title_en: 'Channel', values_ja: { online: 'オンライン', store: '店舗' } } },
    ],
  },
]);
const m = (name: string) => catalog.member(name)!;
const columns = [{ ...m('kpis.ordered_at'), name: 'kpis.ordered_at.month' }, m('kpis.channel'), m('kpis.revenue'), m('kpis.repeat_rate'), m('kpis.active_customers')];
// As Cube sends them: numbers as strings; the store channel's October figures hidden (null) under a minimum group of 10.
const rows = [
  { 'kpis.ordered_at.month': '2026-10-01T00:00:00.000', 'kpis.channel': 'online', 'kpis.revenue': '73235000', 'kpis.repeat_rate': '0.26024', 'kpis.active_customers': '1234' },
  { 'kpis.ordered_at.month': '2026-10-01T00:00:00.000', 'kpis.channel': 'store', 'kpis.revenue': '10350', 'kpis.repeat_rate': null, 'kpis.active_customers': null },
];

describe('export columns', () => {
  it('names columns by the model in Japanese, money in plain yen under (円), rates as shown, hidden figures as "< 10"', () => {
    const table = exportTable(rows, columns, { lang: 'ja', currency: 'JPY', minGroupSize: 10 });
    expect(table.header).toEqual(['注文日', 'チャネル', '売上 (円)', 'リピート率', '購入会員数']);
    expect(table.rows).toEqual([
      ['2026年10月', 'オンライン', '73235000', '26.0%', '1234'],
      ['2026年10月', '店舗', '10350', '< 10', '< 10'],
    ]);
    // As the file reaches Excel: BOM first, headers in Japanese.
    const csv = toCsv(
      table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]]))),
      table.header,
    );
    expect(csv).toBe('\uFEFF注文日,チャネル,売上 (円),リピート率,購入会員数\r\n2026年10月,オンライン,73235000,26.0%,1234\r\n2026年10月,店舗,10350,< 10,< 10\r\n');
  });

  it('writes English titles and the currency code, and an empty cell for a figure that is missing, not hidden', () => {
    const table = exportTable(rows.slice(1), columns, { lang: 'en', currency: 'GBP', minGroupSize: null });
    expect(table.header).toEqual(['Order date', 'Channel', 'Revenue (GBP)', 'Repeat rate', 'Active customers']);
    expect(table.rows).toEqual([['Oct 2026', 'store', '10350', '', '']]);
  });
});

describe('export columns a page writes', () => {
  it("puts a page's own columns (the board's month and 前年比) beside the model's, written as the table writes them", () => {
    const columns = [
      { name: 'month', header: '月', text: (v: unknown) => `${String(v).replace('-', '年')}月` },
      m('kpis.repeat_rate'),
      { name: 'repeat_yoy', header: 'リピート率 前年比', text: (v: unknown) => formatChange(Number(v), 'ja', 'percent') },
    ];
    // 58.32 % → 61.68 %: +3.4 points (item 1's example).
    const table = exportTable(
      [
        { month: '2026-10', 'kpis.repeat_rate': 0.6168, repeat_yoy: 0.0336 },
        { month: '2026-09', 'kpis.repeat_rate': 0.5832, repeat_yoy: null },
      ],
      columns,
      {
        lang: 'ja',
        currency: 'JPY',
        minGroupSize: null,
      },
    );
    expect(table.header).toEqual(['月', 'リピート率', 'リピート率 前年比']);
    expect(table.rows).toEqual([
      ['2026年10月', '61.7%', '+3.4pt'],
      ['2026年09月', '58.3%', ''],
    ]);
  });
});

describe('explore charts by unit', () => {
  it('puts money, counts and rates on separate charts, in the order picked', () => {
    const formatOf = (name: string) => m(name).format;
    expect(measuresByUnit(['kpis.revenue', 'kpis.active_customers', 'kpis.repeat_rate'], formatOf)).toEqual([['kpis.revenue'], ['kpis.active_customers'], ['kpis.repeat_rate']]);
    expect(measuresByUnit(['kpis.active_customers', 'kpis.revenue'], formatOf)).toEqual([['kpis.active_customers'], ['kpis.revenue']]);
  });
});
