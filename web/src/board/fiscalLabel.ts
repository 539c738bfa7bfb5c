import type { MessageKey } from '../ui/i18n';
import { fiscalPosition, type Period } from './boardQueries';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** 2026年度 / 2026年度 上期 / 2026年度 第3四半期 (FY2026, FY2026 H1, FY2026 Q3); null for calendar periods. */
export function fiscalPeriodLabel(period: Period, fiscalStartMonth: number, t: Translate): string | null {
  const { year, half, quarter } = fiscalPosition(period, fiscalStartMonth);
  if (period.kind === 'fiscal_year') return t('fiscal.year', { year });
  if (period.kind === 'fiscal_half') return t(half === 1 ? 'fiscal.half1' : 'fiscal.half2', { year });
  if (period.kind === 'fiscal_quarter') return t('fiscal.quarter', { year, quarter });
  return null;
}
