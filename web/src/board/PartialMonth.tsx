import { formatDate, formatMonth } from '../ui/format';
import { useT } from '../ui/LangContext';
import { partialMonth } from './boardQueries';

/** The month the data end inside of (YYYY-MM) and their last day: drawn and listed like the others, but marked. */
export interface PartialMonth {
  month: string;
  lastDay: string;
}

/** The partial month of data ending on `lastDay`, or null (none yet, or they end on a month's last day). */
export function partialMonthOf(lastDay: string | null): PartialMonth | null {
  const month = lastDay && partialMonth(lastDay);
  return month && lastDay ? { month, lastDay } : null;
}

/** A month's label, with the partial mark when the data end inside it: 2011年12月（途中） / Dec 2011 (partial). */
export function usePartialMonthLabel(partial: PartialMonth | null): (iso: string) => string {
  const { t, lang } = useT();
  return (iso) => `${formatMonth(iso, lang)}${iso.slice(0, 7) === partial?.month ? t('board.partialMark') : ''}`;
}

/** The note under a chart or table that draws a partial month: which month, and the day its data end. */
export function PartialMonthNote({ partial, months }: { partial: PartialMonth | null; months: string[] }) {
  const { t, lang } = useT();
  if (!partial || !months.includes(partial.month)) return null;
  return (
    <p className="mt-2 text-tremor-default text-amber-700" data-testid="partial-month-note">
      {t('board.partialNote', { month: formatMonth(`${partial.month}-01`, lang), date: formatDate(partial.lastDay, lang) })}
    </p>
  );
}
