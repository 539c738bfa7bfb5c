import { TableCell, TableHeaderCell } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useCurrency } from '../ui/currency';
import { formatValue, toNumber } from '../ui/format';
import type { MessageKey } from '../ui/i18n';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { m, type Row } from './campaignQueries';
import { liftVerdict, type LiftVerdict } from './liftVerdict';

/** Colour by verdict: only a significant result on a readable sample is green (or red), never a small or undefined one. */
const TONE: Record<LiftVerdict, string> = {
  win: 'text-emerald-700',
  loss: 'text-rose-700',
  not_significant: 'text-tremor-content',
  too_small: 'text-tremor-content-subtle',
  undefined: 'text-tremor-content-subtle',
};

// Headers wrap and cells are narrow so that the English table fits a 1,440 px screen without scrolling away columns.
const HEAD = 'whitespace-normal px-3 text-right align-bottom';
const CELL = 'px-3 text-right';

export const LIFT_HEADERS: MessageKey[] = ['campaigns.members', 'campaigns.treatmentConversion', 'campaigns.controlConversion', 'campaigns.lift', 'campaigns.verdict', 'campaigns.incrementalRevenue'];

export function LiftHeaderCells() {
  const { t } = useT();
  return (
    <>
      {LIFT_HEADERS.map((h) => (
        <TableHeaderCell key={h} className={HEAD}>
          {t(h)}
        </TableHeaderCell>
      ))}
    </>
  );
}

/** One result's figures: group sizes, conversions, the lift with its own interval, its verdict, incremental revenue. */
export function LiftCells({ row, catalog, minGroupSize }: { row: Row; catalog: Catalog; minGroupSize: number | null }) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const value = (name: string, format: 'percent' | 'number' | 'currency') => formatValue(toNumber(row[m(name)]), format, lang, currency);
  const verdict = liftVerdict(row);
  const tone = verdict ? TONE[verdict] : '';
  const sampleRule = catalog.member(m('lift_sample_sufficient'));
  return (
    <>
      <TableCell className={CELL}>
        {verdict === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : `${value('treated_members', 'number')} / ${value('control_members', 'number')}`}
      </TableCell>
      <TableCell className={CELL}>{value('treatment_conversion', 'percent')}</TableCell>
      <TableCell className={CELL} data-testid="control-conversion">
        {value('control_conversion', 'percent')}
      </TableCell>
      <TableCell className={`${CELL} ${tone}`} data-testid="lift" data-verdict={verdict ?? ''}>
        {verdict === 'undefined' ? (
          <span className="block max-w-48 whitespace-normal text-tremor-label">{t('campaigns.liftUndefined')}</span>
        ) : (
          <>
            <span className="block font-medium">{value('campaign_lift', 'percent')}</span>
            {toNumber(row[m('lift_relative_ci_low')]) !== null && (
              <span className="block text-tremor-label">{t('campaigns.ci', { low: value('lift_relative_ci_low', 'percent'), high: value('lift_relative_ci_high', 'percent') })}</span>
            )}
          </>
        )}
      </TableCell>
      <TableCell className={`${CELL} whitespace-normal ${tone}`} data-testid="verdict" title={verdict === 'too_small' && sampleRule ? memberLabel(sampleRule, lang) : undefined}>
        {verdict ? t(`campaigns.verdict.${verdict}`) : '–'}
      </TableCell>
      <TableCell className={CELL}>{value('incremental_revenue_per_treated', 'currency')}</TableCell>
    </>
  );
}
