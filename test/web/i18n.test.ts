import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../web/src/data/catalog.js';
import { LANGS, translate } from '../../web/src/ui/i18n.js';
import { memberLabel, valueLabel } from '../../web/src/ui/measureLabel.js';

const VIEW = 'customer_segments';
// A /meta answer carrying the model's translation convention (meta.title_<lang>, meta.values_<lang>, meta.verbatim).
const META = [
  {
    name: VIEW,
    title: 'Customer Segments',
    meta: { title_ja: '顧客セグメント', title_en: 'Customer segments' },
    measures: [
      {
        name: `${VIEW}.churn_rate`,
        title: 'Customer Segments Churn Rate',
        shortTitle: 'Churn Rate',
        type: 'number',
        meta: { format: 'percent', title_ja: '離反率（180日以上購入なし）', title_en: 'Churn rate (no order in 180 days)' },
      },
      // An analyst's new measure before anyone named it: Cube's own title is the fallback.
      { name: `${VIEW}.discount_total`, title: 'Customer Segments Discount Total', shortTitle: 'Discount Total', type: 'number', meta: { format: 'currency' } },
      { name: `${VIEW}.english_only`, shortTitle: 'English Only', type: 'number', meta: { title_en: 'English only', title_ja: '  ' } },
    ],
    dimensions: [
      {
        name: `${VIEW}.rfm_segment`,
        shortTitle: 'Rfm Segment',
        type: 'string',
        meta: { title_ja: 'RFMセグメント', title_en: 'RFM segment', values_ja: { champions: 'チャンピオン', at_risk: '離反リスク' }, values_en: { champions: 'Champions', at_risk: 'At risk' } },
      },
      { name: `${VIEW}.line_linked`, shortTitle: 'Line Linked', type: 'boolean', meta: { values_ja: { true: '連携済み', false: '未連携' } } },
      { name: `${VIEW}.name`, shortTitle: 'Name', type: 'string', meta: { pii: true, values_ja: { x: 'never used' } } },
      { name: `${VIEW}.tenant_id`, shortTitle: 'Tenant Id', type: 'string', meta: { verbatim: true } },
    ],
  },
];

describe('messages', () => {
  it('has a non-empty text in every language for every key, and fills parameters', () => {
    for (const lang of LANGS) expect(translate(lang, 'appName')).not.toBe('appName');
    expect(translate('en', 'table.page', { from: 1, to: 50, total: 120 })).toBe('1–50 of 120');
    expect(translate('ja', 'table.page', { from: 1, to: 50, total: 120 })).toBe('1–50 / 120');
  });
});

describe('member names and values from the model meta', () => {
  const catalog = buildCatalog(META);
  const m = (name: string) => catalog.member(`${VIEW}.${name}`)!;

  it('names members and views in each language from meta.title_<lang>', () => {
    expect(memberLabel(m('churn_rate'), 'ja')).toBe('離反率（180日以上購入なし）');
    expect(memberLabel(m('churn_rate'), 'en')).toBe('Churn rate (no order in 180 days)');
    expect(memberLabel(catalog.view(VIEW)!, 'ja')).toBe('顧客セグメント');
  });

  it("falls back to English, then to Cube's title, for members the model does not name (blank titles count as none)", () => {
    expect(memberLabel(m('english_only'), 'ja')).toBe('English only');
    expect(memberLabel(m('discount_total'), 'ja')).toBe('Discount Total');
  });

  it('labels stored values from meta.values_<lang>, booleans included; unknown values pass through', () => {
    expect(valueLabel(m('rfm_segment'), 'at_risk', 'ja')).toBe('離反リスク');
    expect(valueLabel(m('rfm_segment'), 'champions', 'en')).toBe('Champions');
    expect(valueLabel(m('rfm_segment'), 'brand_new', 'ja')).toBe('brand_new');
    expect(valueLabel(m('line_linked'), true, 'ja')).toBe('連携済み');
    expect(valueLabel(m('line_linked'), 'false', 'ja')).toBe('未連携');
    expect(valueLabel(undefined, 'Kanto', 'ja')).toBe('Kanto');
  });

  it('shows names and ids as stored: meta.verbatim and personal data', () => {
    expect(m('tenant_id').verbatim).toBe(true);
    expect(m('name').verbatim).toBe(true);
    expect(valueLabel(m('name'), 'x', 'ja')).toBe('x');
    expect(m('rfm_segment').verbatim).toBe(false);
  });
});
