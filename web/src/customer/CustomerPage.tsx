import { Badge, Callout, Card, Flex, Grid, Text, TextInput, Title } from '@tremor/react';
import type { Catalog } from '../data/catalog';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { ErrorCallout } from '../ui/ErrorCallout';
import { formatDate, formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import { campaignsQuery, inquiriesQuery, ordersQuery, profileQuery, tiersQuery } from './customerQueries';

const PROFILE = ['customer_id', 'name', 'email', 'phone', 'tier', 'rfm_segment', 'signup_channel', 'region', 'age_band', 'gender', 'order_count', 'lifetime_revenue', 'first_order_at', 'last_order_at', 'recency_days'];
type Row = Record<string, string | boolean | null>;
interface TimelineEvent { date: string; kind: string; text: string; color: 'indigo' | 'amber' | 'emerald' | 'rose' | 'gray' }

export function CustomerPage({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const id = params.get('id') ?? '';
  const columns = PROFILE.map((p) => catalog.member(`customer_segments.${p}`)).filter((m) => m !== undefined);
  const profile = useCubeQuery(id ? profileQuery(id, columns.map((c) => c.name)) : null);
  const orders = useCubeQuery(id ? ordersQuery(id) : null);
  const tiers = useCubeQuery(id ? tiersQuery(id) : null);
  const campaigns = useCubeQuery(id ? campaignsQuery(id) : null);
  const inquiries = useCubeQuery(id ? inquiriesQuery(id) : null);
  const row = (profile.resultSet?.tablePivot()[0] ?? null) as Row | null;
  const suppressed = suppressedBelow(profile.resultSet) !== null;
  const pivot = (q: typeof orders) => (q.resultSet?.tablePivot() ?? []) as Row[];

  const events: TimelineEvent[] = [
    ...pivot(orders).map((o) => ({ date: String(o['customer_orders.ordered_at.day']), kind: lang === 'ja' ? '注文' : 'Order', text: `${formatValue(Number(o['customer_orders.revenue']), 'currency', lang)} · ${t(`channel.${o['customer_orders.channel']}`)} · ${o['customer_orders.stores_name']}`, color: 'indigo' as const })),
    ...pivot(tiers).map((r) => ({ date: String(r['customer_tier_history.valid_from']), kind: lang === 'ja' ? 'ランク' : 'Tier', text: String(r['customer_tier_history.tier']), color: 'amber' as const })),
    ...pivot(campaigns).map((c) => ({ date: String(c['campaign_performance.assigned_at.day']), kind: lang === 'ja' ? 'キャンペーン' : 'Campaign', text: `${c['campaign_performance.campaigns_name']} · ${c['campaign_performance.group_name']}${c['campaign_performance.converted'] ? ' · ✓' : ''}`, color: 'emerald' as const })),
    ...pivot(inquiries).map((i) => ({ date: String(i['customer_inquiries.opened_at.day']), kind: lang === 'ja' ? '問い合わせ' : 'Inquiry', text: `${i['customer_inquiries.category']} · ${i['customer_inquiries.channel']} · ★${i['customer_inquiries.satisfaction'] ?? '–'}`, color: 'rose' as const })),
  ].sort((a, b) => b.date.localeCompare(a.date));

  return (
    <div className="space-y-6">
      <Flex justifyContent="between">
        <Title>{t('nav.customer')}</Title>
        <TextInput className="w-64" placeholder={lang === 'ja' ? '顧客ID' : 'Customer ID'} defaultValue={id} onKeyDown={(e) => e.key === 'Enter' && setParams({ id: (e.target as HTMLInputElement).value.trim() || null })} data-testid="customer-search" />
      </Flex>
      {!id && <Text>{lang === 'ja' ? '顧客IDを入力してください（コホートのドリルダウンからも開けます）。' : 'Enter a customer id (or open one from a cohort drill-down).'}</Text>}
      {profile.error && <ErrorCallout error={profile.error} />}
      {suppressed && <Callout color="amber" title={lang === 'ja' ? '個人を特定できる単位の表示は、個人情報を扱える役割に限られます。' : 'A single customer can only be shown to roles allowed personal data.'} />}
      {row && (
        <Grid numItemsLg={3} className="gap-4">
          <Card data-testid="customer-profile">
            <Title>#{String(row['customer_segments.customer_id'])} {row['customer_segments.name'] ? `· ${row['customer_segments.name']}` : ''}</Title>
            {columns.slice(2).map((c) => (
              <Flex key={c.name} className="mt-1">
                <Text>{c.shortTitle}</Text>
                <Text className="text-tremor-content-strong">{row[c.name] === null ? '–' : c.type === 'time' ? formatDate(String(row[c.name]), lang) : c.format === 'currency' ? formatValue(Number(row[c.name]), 'currency', lang) : String(row[c.name])}</Text>
              </Flex>
            ))}
          </Card>
          <Card className="lg:col-span-2" data-testid="customer-timeline">
            <Title>{lang === 'ja' ? 'タイムライン' : 'Timeline'}</Title>
            <ol className="mt-4 max-h-[32rem] space-y-2 overflow-y-auto">
              {events.map((e, i) => (
                <li key={i} className="flex items-start gap-3">
                  <Text className="w-28 shrink-0">{formatDate(e.date, lang)}</Text>
                  <Badge color={e.color} size="xs">{e.kind}</Badge>
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
