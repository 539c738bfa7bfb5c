import { describe, expect, it } from 'vitest';
import { axisFormatter, chartAxis, columnFormatter, formatChange, formatDate, formatMonth, formatPeriod, formatTime, formatValue, toNumber } from '../../web/src/ui/format.js';
import { changeBetween } from '../../web/src/board/boardQueries.js';

// The rule (issue 10, defect 3): money and counts below 100,000 are written in full with digit
// grouping; from 100,000 on, Japanese uses 万/億 with at least four significant digits (cut, not
// rounded up) and English K/M/B with one decimal or three significant digits. The yen sign is the
// half-width ¥ in both languages. Strings as Node's full ICU writes them (Chromium's CLDR data).
describe('money', () => {
  it('writes amounts below 100,000 in full, grouped, without decimals (the board\'s AOV read "¥1万" for ¥10,350)', () => {
    expect(formatValue(10_350, 'currency', 'ja')).toBe('¥10,350');
    expect(formatValue(10_350, 'currency', 'en')).toBe('¥10,350');
    expect(formatValue(10_817.6, 'currency', 'ja')).toBe('¥10,818');
    expect(formatValue(99_999, 'currency', 'ja')).toBe('¥99,999');
    expect(formatValue(-500, 'currency', 'en')).toBe('-¥500');
  });

  it('writes larger amounts in 万 and 億 with four significant digits and grouping in Japanese', () => {
    expect(formatValue(73_235_000, 'currency', 'ja')).toBe('¥7,323万'); // was "¥7323.5万"
    expect(formatValue(215_300_000, 'currency', 'ja')).toBe('¥2億1,530万');
    expect(formatValue(100_000, 'currency', 'ja')).toBe('¥10万');
    expect(formatValue(123_456, 'currency', 'ja')).toBe('¥12.34万');
    expect(formatValue(1_234_567, 'currency', 'ja')).toBe('¥123.4万');
    // Cut, not rounded: 9,999.99万 is not yet 1億.
    expect(formatValue(99_999_999, 'currency', 'ja')).toBe('¥9,999万');
    expect(formatValue(100_000_000, 'currency', 'ja')).toBe('¥1億');
    expect(formatValue(1_234_567_890_123, 'currency', 'ja')).toBe('¥12,345億6,789万');
    expect(formatValue(-73_235_000, 'currency', 'ja')).toBe('-¥7,323万');
  });

  it('writes larger amounts as K/M/B in English', () => {
    expect(formatValue(73_235_000, 'currency', 'en')).toBe('¥73.2M');
    expect(formatValue(215_300_000, 'currency', 'en')).toBe('¥215.3M');
    expect(formatValue(1_234_567, 'currency', 'en')).toBe('¥1.23M');
    expect(formatValue(123_456, 'currency', 'en')).toBe('¥123.4K');
    expect(formatValue(2_153_000_000, 'currency', 'en')).toBe('¥2.15B');
  });
});

describe("money in the tenant's currency", () => {
  // An imported tenant keeps its data set's money (tenants.currency): Online Retail is GBP, CDNOW USD.
  it('writes pounds and dollars with their own sign, by the same magnitude rule as yen', () => {
    expect(formatValue(12_345, 'currency', 'ja', 'GBP')).toBe('£12,345');
    expect(formatValue(12_345, 'currency', 'en', 'GBP')).toBe('£12,345');
    expect(formatValue(35.26, 'currency', 'en', 'USD')).toBe('$35');
    expect(formatValue(1_234_567, 'currency', 'en', 'USD')).toBe('$1.23M');
    expect(formatValue(1_234_567, 'currency', 'ja', 'USD')).toBe('$123.4万');
    expect(formatValue(73_235_000, 'currency', 'en', 'GBP')).toBe('£73.2M');
    expect(formatValue(-500, 'currency', 'en', 'USD')).toBe('-$500');
    expect(formatValue(10_350, 'currency', 'ja', 'TWD')).toBe('NT$10,350');
    expect(formatValue(10_350, 'currency', 'en', 'CNY')).toBe('CN¥10,350');
  });

  it('keeps yen as before when the currency is JPY or not given', () => {
    expect(formatValue(10_350, 'currency', 'ja', 'JPY')).toBe('¥10,350');
    expect(formatValue(73_235_000, 'currency', 'ja', 'JPY')).toBe(formatValue(73_235_000, 'currency', 'ja'));
  });

  it('writes no sign for a sum over several currencies, and leaves counts and rates alone', () => {
    expect(formatValue(1_234_567, 'currency', 'en', null)).toBe('1.23M');
    expect(formatValue(21_528, 'number', 'en', 'USD')).toBe('21,528');
    expect(formatValue(0.5883, 'percent', 'ja', 'GBP')).toBe('58.8%');
  });
});

describe('counts and ratios', () => {
  it('writes counts by the same rule as money, without the yen sign', () => {
    expect(formatValue(21_528, 'number', 'ja')).toBe('21,528'); // the tree read "2.2万" for the tile's 21,528
    expect(formatValue(21_528, 'number', 'en')).toBe('21,528');
    expect(formatValue(215_300_000, 'number', 'ja')).toBe('2億1,530万');
    expect(formatValue(461_198, 'number', 'ja')).toBe('46.11万');
    expect(formatValue(461_198, 'number', 'en')).toBe('461.1K');
  });

  it('keeps two decimals for small ratios such as orders per customer', () => {
    expect(formatValue(1.3219, 'number', 'en')).toBe('1.32');
    expect(formatValue(12.6, 'number', 'ja')).toBe('13');
  });

  it('writes rates as percent with one decimal', () => {
    expect(formatValue(0.5883, 'percent', 'ja')).toBe('58.8%');
    expect(formatValue(1, 'percent', 'en')).toBe('100.0%');
  });

  it('shows a dash for missing values', () => {
    for (const v of [null, undefined, Number.NaN]) expect(formatValue(v, 'currency', 'ja')).toBe('–');
  });

  it('reads Cube cells (decimals arrive as strings) as numbers, no value as null', () => {
    expect(toNumber('10350.25')).toBe(10_350.25);
    expect(toNumber(3)).toBe(3);
    expect(toNumber('0')).toBe(0);
    for (const v of [null, undefined, '']) expect(toNumber(v)).toBeNull();
  });
});

describe('dates, never ISO', () => {
  it("writes months and days per language, whatever the machine's time zone", () => {
    expect(formatMonth('2026-10-01T00:00:00.000', 'ja')).toBe('2026年10月');
    expect(formatMonth('2026-10-01T00:00:00.000', 'en')).toBe('Oct 2026');
    expect(formatDate('2026-10-31', 'ja')).toBe('2026年10月31日');
    expect(formatDate('2026-10-31', 'en')).toBe('Oct 31, 2026');
  });

  it("writes a period without repeating what its ends share (the board's period label)", () => {
    expect(formatPeriod('2026-10-01', '2026-10-31', 'ja')).toBe('2026年10月1日～31日');
    expect(formatPeriod('2026-01-01', '2026-10-31', 'ja')).toBe('2026年1月1日～10月31日');
    expect(formatPeriod('2025-12-01', '2026-01-31', 'ja')).toBe('2025年12月1日～2026年1月31日');
    expect(formatPeriod('2026-10-31', '2026-10-31', 'ja')).toBe('2026年10月31日');
    expect(formatPeriod('2026-10-01', '2026-10-31', 'en')).toBe('Oct 1 – 31, 2026');
    expect(formatPeriod('2026-01-01', '2026-10-31', 'en')).toBe('Jan 1 – Oct 31, 2026');
    expect(formatPeriod('2025-12-01', '2026-01-31', 'en')).toBe('Dec 1, 2025 – Jan 31, 2026');
  });

  it("writes a time bucket at its granularity (Explore's time column and axis)", () => {
    expect(formatTime('2026-01-01T00:00:00.000', 'year', 'ja')).toBe('2026年');
    expect(formatTime('2026-10-01T00:00:00.000', 'quarter', 'ja')).toBe('2026年 第4四半期');
    expect(formatTime('2026-04-01T00:00:00.000', 'quarter', 'en')).toBe('Q2 2026');
    expect(formatTime('2026-10-01T00:00:00.000', 'month', 'en')).toBe('Oct 2026');
    expect(formatTime('2026-10-05T00:00:00.000', 'week', 'ja')).toBe('2026年10月5日');
    expect(formatTime('2026-10-05T00:00:00.000', 'day', 'en')).toBe('Oct 5, 2026');
  });
});

// Issue 20 item 1: a rate compares in percentage points, amounts and counts in percent. The
// board's repeat rate went 58.32 % → 61.68 % and read "+5.8%" (the relative change), which a
// reader takes for 5.8 points; churn's +8.9 points read "+18.7%".
describe('changes: rates in points, amounts and counts in percent', () => {
  it('compares a rate (meta.format percent) by its difference, written in pt', () => {
    expect(changeBetween(0.6168, 0.5832, 'percent')).toBeCloseTo(0.0336, 12);
    expect(formatChange(changeBetween(0.6168, 0.5832, 'percent'), 'ja', 'percent')).toBe('+3.4pt');
    expect(formatChange(changeBetween(0.6168, 0.5832, 'percent'), 'en', 'percent')).toBe('+3.4 pt');
    expect(formatChange(-0.089, 'ja', 'percent')).toBe('-8.9pt');
    expect(formatChange(0, 'ja', 'percent')).toBe('0.0pt');
    // A rate against zero still has a difference (a relative change would have none).
    expect(changeBetween(0.05, 0, 'percent')).toBeCloseTo(0.05, 12);
  });

  it('compares amounts and counts by their relative change, written in %', () => {
    expect(changeBetween(125, 100, 'currency')).toBeCloseTo(0.25, 12);
    expect(formatChange(changeBetween(125, 100, 'currency'), 'ja', 'currency')).toBe('+25.0%');
    expect(formatChange(changeBetween(968, 1000, 'number'), 'en', 'number')).toBe('-3.2%');
    expect(changeBetween(5, 0, 'number')).toBeNull();
  });

  it('shows a dash without a change', () => {
    expect(formatChange(changeBetween(null, 0.5, 'percent'), 'ja', 'percent')).toBe('–');
    expect(formatChange(null, 'en')).toBe('–');
  });
});

// Issue 20 item 4: past 1億 the axis cut its labels (1億4,000万 read "億500万", the channel
// chart's 1億2,000万 "2,000万"). An axis writes every tick in one unit, chosen by its largest
// value, short enough to fit; tiles and tables keep formatValue's 1億4,000万.
describe('chart axes', () => {
  it('writes every tick of an axis past 1億 in 億, short: ¥1.4億, not ¥1億4,000万', () => {
    const axis = axisFormatter(140_000_000, 'currency', 'ja');
    expect([0, 50_000_000, 100_000_000, 125_000_000, 140_000_000].map(axis)).toEqual(['¥0', '¥0.5億', '¥1億', '¥1.25億', '¥1.4億']);
    expect(formatValue(140_000_000, 'currency', 'ja')).toBe('¥1億4,000万');
  });

  it('writes an axis below 1億 in 万, and one below 100,000 in full', () => {
    expect([20_000_000, 40_000_000].map(axisFormatter(73_000_000, 'currency', 'ja'))).toEqual(['¥2,000万', '¥4,000万']);
    expect([0, 40_000].map(axisFormatter(90_000, 'currency', 'ja'))).toEqual(['¥0', '¥40,000']);
    expect(axisFormatter(1_400_000, 'number', 'ja')(1_250_000)).toBe('125万');
  });

  it('uses one English unit per axis, and the tenant currency', () => {
    expect([500_000_000, 1_500_000_000].map(axisFormatter(1_500_000_000, 'currency', 'en'))).toEqual(['¥0.5B', '¥1.5B']);
    expect(axisFormatter(140_000_000, 'currency', 'en', 'GBP')(140_000_000)).toBe('£140M');
    expect(axisFormatter(140_000_000, 'currency', 'ja', 'GBP')(140_000_000)).toBe('£1.4億');
  });

  it('writes rates on an axis as the pages do', () => {
    expect(axisFormatter(0.6, 'percent', 'ja')(0.5)).toBe('50.0%');
  });

  it('makes the y-axis wide enough for its longest label (Tremor cut ¥1億2,000万 at its default 56 px)', () => {
    // "¥1.2億": 5 characters, 億 counting double, +4 for a tick's decimals and sign = 10 → 80 px.
    expect(chartAxis([30_000_000, 120_000_000], 'currency', 'ja').yAxisWidth).toBe(80);
    expect(chartAxis([120_000_000], 'currency', 'ja').valueFormatter(120_000_000)).toBe('¥1.2億');
    expect(chartAxis([1_000], 'number', 'ja').yAxisWidth).toBe(72);
    // Data up to ¥9,542万 draw ticks up to ¥1億 (Recharts' step of ¥2,500万): the axis is in 億.
    expect([0, 25_000_000, 75_000_000, 100_000_000].map(chartAxis([95_421_338], 'currency', 'ja').valueFormatter)).toEqual(['¥0', '¥0.25億', '¥0.75億', '¥1億']);
    expect(chartAxis([4_466_767], 'currency', 'ja').valueFormatter(6_000_000)).toBe('¥600万');
    expect(chartAxis([], 'number', 'en').yAxisWidth).toBe(56);
  });
});

// Issue 20 item 4, columns: one money format per table column (not ¥21.93万 beside ¥37,730).
describe('table columns', () => {
  it('writes a column in full while its largest value is under 1億 (ja) or 1M (en)', () => {
    const column = columnFormatter([219_300, 37_730, null], 'currency', 'ja');
    expect([219_300, 37_730].map(column)).toEqual(['¥219,300', '¥37,730']);
    expect(column(null)).toBe('–');
    expect(columnFormatter([73_235_000], 'currency', 'ja')(73_235_000)).toBe('¥73,235,000');
    expect([461_198, 1.32].map(columnFormatter([461_198, 1.32], 'number', 'en'))).toEqual(['461,198', '1.32']);
  });

  it('writes every cell of a column in units once its largest value reaches 1億 (ja) or 1M (en)', () => {
    expect([215_300_000, 37_730].map(columnFormatter([215_300_000, 37_730], 'currency', 'ja'))).toEqual(['¥2億1,530万', '¥3.773万']);
    expect([1_234_567, 37_730].map(columnFormatter([1_234_567, 37_730], 'currency', 'en'))).toEqual(['¥1.23M', '¥37.7K']);
  });

  it('leaves rates as they are', () => {
    expect(columnFormatter([0.5883], 'percent', 'ja')(0.5883)).toBe('58.8%');
  });
});
