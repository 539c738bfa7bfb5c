import { describe, expect, it } from 'vitest';
import { boardPeriod, partialMonth, periodSpan, previousPeriod, sameDaysLastYear, withData } from '../../web/src/board/boardQueries.js';

// Issue 20 item 3: the board heads a period by its whole span and reads figures over its days
// with data. The demo's data end on 2026-10-31, Online Retail's on 2011-12-09.
describe('a period the data end inside of', () => {
  it('is headed by its whole span: the quarter, half or year holding the last day, to its last day', () => {
    expect(periodSpan('month', '2026-10-31', null, null)).toEqual({ kind: 'month', start: '2026-10-01', end: '2026-10-31' });
    expect(periodSpan('quarter', '2026-10-31', null, null)).toEqual({ kind: 'quarter', start: '2026-10-01', end: '2026-12-31' });
    expect(periodSpan('year', '2026-10-31', null, null)).toEqual({ kind: 'year', start: '2026-01-01', end: '2026-12-31' });
    // t01's fiscal year starts in April: 2026年度 下期 is October 2026 to March 2027.
    expect(periodSpan('fiscal_half', '2026-10-31', null, null, 4)).toEqual({ kind: 'fiscal_half', start: '2026-10-01', end: '2027-03-31' });
    expect(periodSpan('month', '2011-12-09', null, null)).toEqual({ kind: 'month', start: '2011-12-01', end: '2011-12-31' });
    expect(periodSpan('custom', '2026-10-31', '2026-10-15', '2026-11-15')).toEqual({ kind: 'custom', start: '2026-10-15', end: '2026-11-15' });
  });

  it('has its figures over the days with data, and every comparison over the same days', () => {
    const custom = boardPeriod('custom', '2026-10-31', '2026-10-15', '2026-11-15');
    expect(custom).toEqual({ kind: 'custom', start: '2026-10-15', end: '2026-10-31' });
    // 17 days against the same 17 days a year earlier, and the 17 days before.
    expect(sameDaysLastYear(custom)).toEqual({ kind: 'custom', start: '2025-10-15', end: '2025-10-31' });
    expect(previousPeriod(custom)).toEqual({ kind: 'custom', start: '2026-09-28', end: '2026-10-14' });
    expect(sameDaysLastYear(boardPeriod('month', '2011-12-09', null, null))).toEqual({ kind: 'month', start: '2010-12-01', end: '2010-12-09' });
    // A period inside the data is left whole.
    expect(withData({ kind: 'custom', start: '2026-09-01', end: '2026-09-30' }, '2026-10-31')).toEqual({ kind: 'custom', start: '2026-09-01', end: '2026-09-30' });
  });

  it('marks the month the data end inside of, and no month when they end on its last day', () => {
    expect(partialMonth('2011-12-09')).toBe('2011-12');
    expect(partialMonth('2026-10-31')).toBeNull();
    expect(partialMonth('2024-02-28')).toBe('2024-02');
    expect(partialMonth('2024-02-29')).toBeNull();
  });
});
