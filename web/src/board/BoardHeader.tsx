import { Flex, Select, SelectItem, Tab, TabGroup, TabList, Title } from '@tremor/react';
import { formatMonthDay, formatPeriod } from '../ui/format';
import { useT } from '../ui/LangContext';
import type { BoardMembers } from './boardMembers';
import { fiscalPeriodLabel } from './fiscalLabel';
import { COMPARISONS, PERIOD_KINDS, type BoardPeriodState } from './useBoardPeriod';

/**
 * The board's header: its title and period (the whole span picked, the fiscal label, and the last
 * day with data when the span runs past it), and the pickers (tenant, comparison, period, dates),
 * which write the URL.
 */
export function BoardHeader({ members, view, setParams }: { members: BoardMembers; view: BoardPeriodState; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const { tenant: tenantDimension, tenantName } = members;
  const { multiTenant, tenant, kind, comparison, tenantRows, fiscalStartMonth, span, period, through } = view;
  const fiscalLabel = period && fiscalStartMonth ? fiscalPeriodLabel(period, fiscalStartMonth, t) : null;
  return (
    <Flex justifyContent="between" alignItems="end" className="flex-wrap gap-4">
      <div>
        <Title>{t('board.title')}</Title>
        {period && (
          <p className="text-tremor-default text-tremor-content" data-testid="board-period">
            {fiscalLabel && (
              <span className="mr-2 font-semibold text-tremor-content-emphasis" data-testid="board-fiscal-label">
                {fiscalLabel}
              </span>
            )}
            {span && formatPeriod(span.start, span.end, lang)}
            {through && (
              <span className="ml-2 font-semibold text-amber-700" data-testid="board-through">
                {t('board.through', { date: formatMonthDay(through, lang) })}
              </span>
            )}
          </p>
        )}
      </div>
      <Flex justifyContent="end" className="w-auto flex-wrap gap-3 md:flex-nowrap">
        {multiTenant && tenantDimension && (
          <Select className="w-56 shrink-0" value={tenant ?? ''} onValueChange={(v) => setParams({ tenant: v || null })} placeholder={t('board.allTenants')} data-testid="tenant-picker">
            {[
              <SelectItem key="" value="">
                {t('board.allTenants')}
              </SelectItem>,
              ...tenantRows.map((r) => (
                <SelectItem key={r[tenantDimension.name]} value={r[tenantDimension.name]}>
                  {r[tenantName?.name ?? tenantDimension.name]}
                </SelectItem>
              )),
            ]}
          </Select>
        )}
        <TabGroup className="w-auto shrink-0" index={COMPARISONS.indexOf(comparison)} onIndexChange={(i) => setParams({ compare: COMPARISONS[i] })}>
          <TabList variant="line" aria-label={t('board.compareWith')}>
            {COMPARISONS.map((c) => (
              <Tab key={c} data-testid={`compare-${c}`}>
                {t(c === 'yoy' ? 'board.compareYoy' : 'board.comparePrevious')}
              </Tab>
            ))}
          </TabList>
        </TabGroup>
        <TabGroup className="w-auto shrink-0" index={PERIOD_KINDS.indexOf(kind)} onIndexChange={(i) => setParams({ period: PERIOD_KINDS[i] })}>
          <TabList variant="solid">
            {PERIOD_KINDS.map((k) => (
              <Tab key={k} data-testid={`period-${k}`}>
                {t(`period.${k}`)}
              </Tab>
            ))}
          </TabList>
        </TabGroup>
        {kind === 'custom' && span && (
          <Flex className="w-auto gap-2">
            {(['from', 'to'] as const).map((end) => (
              <input
                key={end}
                type="date"
                aria-label={t(`board.${end}`)}
                className="rounded-tremor-default border-tremor-border text-tremor-default"
                value={end === 'from' ? span.start : span.end}
                onChange={(e) => setParams({ [end]: e.target.value })}
              />
            ))}
          </Flex>
        )}
      </Flex>
    </Flex>
  );
}
