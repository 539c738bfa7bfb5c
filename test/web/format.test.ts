import { describe, expect, it } from 'vitest';
import { formatDate, formatMonth, formatValue, LANGS, translate } from '../../web/src/ui/i18n.js';

// Exact strings from Node's full ICU (the same CLDR data as Chromium): ja-JP writes the yen
// as the full-width ￥ (U+FFE5), en-US as ¥ (U+00A5).
describe('formatValue by meta.format', () => {
  it('formats money as JPY without decimals', () => {
    expect(formatValue(1234567, 'currency', 'ja')).toBe('￥1,234,567');
    expect(formatValue(1234567, 'currency', 'en')).toBe('¥1,234,567');
    expect(formatValue(10817.6, 'currency', 'ja')).toBe('￥10,818');
    expect(formatValue(-500, 'currency', 'en')).toBe('-¥500');
  });

  it('compacts large money in the language\'s own units (万 in Japanese)', () => {
    expect(formatValue(1234567, 'currency', 'ja', { compact: true })).toBe('￥123.5万');
    expect(formatValue(1234567, 'currency', 'en', { compact: true })).toBe('¥1.2M');
    expect(formatValue(9_999, 'currency', 'en', { compact: true })).toBe('¥9,999');
  });

  it('formats rates as percent with one decimal, counts as integers, small ratios with two decimals', () => {
    expect(formatValue(0.5883, 'percent', 'ja')).toBe('58.8%');
    expect(formatValue(0.5883, 'percent', 'en')).toBe('58.8%');
    expect(formatValue(1, 'percent', 'en')).toBe('100.0%');
    expect(formatValue(48213, 'number', 'ja')).toBe('48,213');
    expect(formatValue(1.3219, 'number', 'en')).toBe('1.32');
  });

  it('shows a dash for missing values', () => {
    for (const v of [null, undefined, Number.NaN]) expect(formatValue(v, 'currency', 'ja')).toBe('–');
  });
});

describe('dates', () => {
  it('formats months and days per language, whatever the machine\'s time zone', () => {
    expect(formatMonth('2026-10-01T00:00:00.000', 'ja')).toBe('2026年10月');
    expect(formatMonth('2026-10-01T00:00:00.000', 'en')).toBe('Oct 2026');
    expect(formatDate('2026-10-31', 'ja')).toBe('2026年10月31日');
    expect(formatDate('2026-10-31', 'en')).toBe('Oct 31, 2026');
  });
});

describe('translate', () => {
  it('has every key in both languages and fills parameters', () => {
    expect(translate('ja', 'kpi.revenue')).toBe('売上');
    expect(translate('en', 'kpi.revenue')).toBe('Revenue');
    expect(translate('en', 'table.page', { from: 1, to: 50, total: 120 })).toBe('1–50 of 120');
    expect(translate('ja', 'no.such.key')).toBe('no.such.key');
    for (const lang of LANGS) expect(translate(lang, 'appName')).not.toBe('appName');
  });
});

describe('valueLabel', async () => {
  const { valueLabel } = await import('../../web/src/ui/i18n.js');
  it('names known data values in the language and passes unknown ones through', () => {
    expect(valueLabel('ja', 'region', 'Kanto')).toBe('関東');
    expect(valueLabel('en', 'region', 'Kanto')).toBe('Kanto');
    expect(valueLabel('ja', 'channel', 'app')).toBe('アプリ');
    expect(valueLabel('ja', 'region', 'Atlantis')).toBe('Atlantis');
  });
});
