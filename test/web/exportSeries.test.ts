import { describe, expect, it } from 'vitest';
import { exportTable, seriesColumns } from '../../web/src/ui/exportColumns.js';

// Issue 20, item 5: a chart's CSV (the board's revenue lines, the CLV check's actual and model)
// reads like a table's, and a page whose blanks are not all hidden figures (a lift that does not
// exist beside one the server hid) says which rows are hidden. Expected texts written by hand.
describe('chart series and page figures in an export', () => {
  it('writes a chart series as a figure of its format: money plain, under the currency, rates as shown', () => {
    // Two months of the board's year-over-year chart as the page draws them; 前年 has no March.
    const points = [
      { month: '2026年2月', 今年: 7323500, 前年: 6900000 },
      { month: '2026年3月（途中）', 今年: 2100000, 前年: null },
    ];
    const money = exportTable(points, seriesColumns({ name: 'month', header: '月' }, ['今年', '前年'], 'currency'), { lang: 'ja', currency: 'JPY', minGroupSize: null });
    expect(money.header).toEqual(['月', '今年 (円)', '前年 (円)']);
    expect(money.rows).toEqual([
      ['2026年2月', '7323500', '6900000'],
      ['2026年3月（途中）', '2100000', ''],
    ]);
    const rates = exportTable([{ x: '1', Actual: 0.26024 }], seriesColumns({ name: 'x', header: 'Purchases' }, ['Actual'], 'percent'), { lang: 'en', currency: 'JPY', minGroupSize: null });
    expect(rates).toEqual({ header: ['Purchases', 'Actual'], rows: [['1', '26.0%']] });
  });

  it('writes "< 10" only in the rows the page says the server hid', () => {
    // Row a: the lift does not exist (no control conversions); row b: the server hid the group.
    const rows = [
      { group: 'a', lift: null, hidden: false },
      { group: 'b', lift: null, hidden: true },
      { group: 'c', lift: 0.125, hidden: false },
    ];
    const columns = [
      { name: 'group', header: 'Group', text: String },
      { name: 'lift', header: 'Lift', format: 'percent' as const },
    ];
    const table = exportTable(rows, columns, { lang: 'en', currency: 'JPY', minGroupSize: 10, hidden: (r) => r.hidden === true });
    expect(table.rows).toEqual([
      ['a', ''],
      ['b', '< 10'],
      ['c', '12.5%'],
    ]);
  });
});
