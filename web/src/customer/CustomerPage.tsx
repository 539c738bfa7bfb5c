import { Badge, Callout, Card, Flex, Grid, Text, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { useDataCoverage } from '../data/dataCoverage';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { formatDate, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel, valueLabel } from '../ui/measureLabel';
import { Skeleton } from '../ui/QueryState';
import { campaignsQuery, inquiriesQuery, ordersQuery, parseMemberNumber, profileQuery, tiersQuery, timelineEvents, type TimelineKind } from './customerQueries';
import { CustomerSearch } from './CustomerSearch';

const PROFILE = [
  'customer_id',
  'name',
  'email',
  'phone',
  'tier',
  'rfm_segment',
  'signup_channel',
  'region',
  'age_band',
  'gender',
  'order_count',
  'lifetime_revenue',
  'first_order_at',
  'last_order_at',
  'recency_days',
  'member_predicted_clv',
  'member_p_alive',
  'at_risk',
  'tenant_id',
];
/** Shown as a badge beside the member's name, not as a line of the profile. */
const AT_RISK = 'customer_segments.at_risk';
/** Read to know what the member's tenant has data for, not shown. */
const TENANT = 'customer_segments.tenant_id';
const MISSING_TEXT = { tiers: 'empty.noTiers', campaigns: 'empty.noCampaigns', inquiries: 'empty.noInquiries' } as const;
const KIND_COLOR: Record<TimelineKind, 'indigo' | 'amber' | 'emerald' | 'rose'> = { order: 'indigo', tier: 'amber', campaign: 'emerald', inquiry: 'rose' };
type Row = Record<string, unknown>;

/**
 * One member: found by the search (or opened from a cohort drill-down as ?id=), profile and
 * timeline. An id that is not a member number is refused here, before any query; one the API
 * does not know is said to be unknown.
 */
export function CustomerPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const raw = params.get('id') ?? '';
  const id = parseMemberNumber(raw);
  const columns = PROFILE.map((p) => catalog.member(`customer_segments.${p}`)).filter((m) => m !== undefined);
  const profile = useCubeQuery(
    id
      ? profileQuery(
          id,
          columns.map((c) => c.name),
        )
      : null,
  );
  const orders = useCubeQuery(id ? ordersQuery(id) : null);
  const tiers = useCubeQuery(id ? tiersQuery(id) : null);
  const campaigns = useCubeQuery(id ? campaignsQuery(id) : null);
  const inquiries = useCubeQuery(id ? inquiriesQuery(id) : null);
  const rows = (q: typeof orders) => (q.resultSet?.tablePivot() ?? []) as Row[];
  const row = rows(profile)[0] ?? null;
  const suppressed = suppressedBelow(profile.resultSet) !== null;
  // What the member's tenant has no data for (an import has no tiers, campaigns or inquiries) is said, not left blank.
  const coverage = useDataCoverage(!!row && !!catalog.view('data_coverage'), row ? String(row[TENANT]) : undefined);
  const missing = coverage ? (['tiers', 'campaigns', 'inquiries'] as const).filter((k) => !coverage[k]) : [];
  const events = timelineEvents(
    { order: rows(orders), tier: rows(tiers), campaign: rows(campaigns), inquiry: rows(inquiries) },
    (member, value) => valueLabel(catalog.member(member), value, lang),
    (value) => formatValue(value, 'currency', lang),
  );
  const shown = (c: (typeof columns)[number], v: unknown) =>
    v === null || v === undefined ? '–' : c.type === 'time' ? formatDate(String(v), lang) : c.format !== 'number' ? formatValue(Number(v), c.format, lang) : valueLabel(c, v, lang);

  return (
    <div className="space-y-6">
      <Title>{t('nav.customer')}</Title>
      <CustomerSearch catalog={catalog} params={params} setParams={setParams} />
      {raw && !id && <Callout color="amber" title={t('customer.invalidNumber')} data-testid="customer-invalid" />}
      {profile.error && <ErrorCallout error={profile.error} />}
      {suppressed && <Callout color="amber" title={t('error.forbidden')} />}
      {id && profile.isLoading && <Skeleton className="h-64" testId="customer-loading" />}
      {id && profile.resultSet && !profile.isLoading && !row && !suppressed && <Callout color="amber" title={t('customer.notFound', { id })} data-testid="customer-not-found" />}
      {row && (
        <Grid numItemsLg={3} className="gap-4">
          <Card data-testid="customer-profile">
            <Title>
              #{String(row['customer_segments.customer_id'])} {row['customer_segments.name'] ? `· ${String(row['customer_segments.name'])}` : ''}
            </Title>
            {/* The model's rule (customer_segments.at_risk): high predicted value, P(alive) below even odds. */}
            {(row[AT_RISK] === true || row[AT_RISK] === 'true') && (
              <Badge color="rose" className="mt-1" tooltip={catalog.member(AT_RISK)?.description} data-testid="customer-at-risk">
                {valueLabel(catalog.member(AT_RISK), 'true', lang)}
              </Badge>
            )}
            {columns
              .filter((c) => !['customer_segments.customer_id', 'customer_segments.name', AT_RISK, TENANT].includes(c.name))
              .filter((c) => !(missing.includes('tiers') && c.name === 'customer_segments.tier'))
              .map((c) => (
                <Flex key={c.name} className="mt-1">
                  <Text>{memberLabel(c, lang)}</Text>
                  <Text className="text-tremor-content-strong">{shown(c, row[c.name])}</Text>
                </Flex>
              ))}
          </Card>
          <Card className="lg:col-span-2" data-testid="customer-timeline">
            <Title>{t('customer.timeline')}</Title>
            {missing.map((k) => (
              <p key={k} className="mt-1 text-tremor-label text-tremor-content" data-testid={`customer-no-${k}`}>
                {t(MISSING_TEXT[k])}
              </p>
            ))}
            <ol className="mt-4 max-h-[32rem] space-y-2 overflow-y-auto">
              {events.map((e, i) => (
                <li key={i} className="flex items-start gap-3">
                  <Text className="w-28 shrink-0">{formatDate(e.date, lang)}</Text>
                  <Badge color={KIND_COLOR[e.kind]} size="xs">
                    {t(`customer.kind.${e.kind}`)}
                  </Badge>
                  <Text className="text-tremor-content-emphasis">{e.text}</Text>
                </li>
              ))}
            </ol>
          </Card>
        </Grid>
      )}
    </div>
  );
}
