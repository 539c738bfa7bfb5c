/**
 * The queries the KPI board sends on a visit (period "month"), built by the board's own query
 * builders from the catalog a user's /meta gives, so the benchmark follows the board as it changes.
 */
import { buildCatalog } from '../../web/src/data/catalog.js';
import { boardMembers } from '../../web/src/board/boardMembers.js';
import { boardPeriod, breakdownQuery, lastDayQuery, monthlyQuery, scopeIn, viewQueries } from '../../web/src/board/boardQueries.js';
import { tenantsQuery } from '../../web/src/data/tenantsQuery.js';

export interface NamedQuery {
  name: string;
  query: object;
}

export interface Meta {
  cubes: unknown[];
}

function boardOf(meta: Meta) {
  const catalog = buildCatalog(meta.cubes as Parameters<typeof buildCatalog>[0]);
  const members = boardMembers(catalog);
  if (!members) throw new Error('The model has no board (no revenue KPI with a time dimension).');
  return { catalog, members };
}

/** The board's first query, whose answer (`lastDayOf`) dates every other one. */
export function boardLastDayQuery(meta: Meta): { query: object; lastDayMeasure: string } {
  const { lastDay } = boardOf(meta).members;
  return { query: lastDayQuery(lastDay.name), lastDayMeasure: lastDay.name };
}

/** The board's queries for a user of one tenant, or of all tenants (`multiTenant`), with data up to `lastDay`; identical queries once. */
export function boardVisitQueries(meta: Meta, multiTenant: boolean, lastDay: string): NamedQuery[] {
  const { catalog, members } = boardOf(meta);
  const { revenue, timeDimension, lastDay: lastDayMeasure, channel, region, tenant, tenantName } = members;
  const period = boardPeriod('month', lastDay, null, null);
  const scope = scopeIn(catalog, revenue.view, null);
  const out: NamedQuery[] = [{ name: 'last day with data', query: lastDayQuery(lastDayMeasure.name) }];
  if (multiTenant && tenant) out.push({ name: 'tenant list', query: tenantsQuery(revenue.name, tenant.name, [tenantName?.name]) });
  const perView = (label: string, view: string, kpis: (typeof members.tiles)[number]['members']) => {
    const q = viewQueries(catalog, view, kpis, period, null);
    for (const [part, query] of Object.entries(q)) if (query) out.push({ name: `${label} ${part}`, query });
  };
  for (const { view, members: kpis } of members.tiles) perView(`${view} tiles:`, view, kpis);
  if (members.tree) perView('KGI tree:', members.tree[0].view, members.tree);
  if (channel) out.push({ name: 'trend by month x channel', query: monthlyQuery([revenue.name], timeDimension, period.end, 12, scope, [channel.name]) });
  for (const [label, dimension, names] of [
    ['channel', channel, []],
    ['tenant', multiTenant ? tenant : undefined, tenantName ? [tenantName.name] : []],
    ['region', region, []],
  ] as const) {
    if (dimension) out.push({ name: `revenue by ${label}`, query: breakdownQuery(revenue.name, dimension.name, timeDimension, period, scope, [...names]) });
  }
  if (members.table.length)
    out.push({
      name: 'monthly table',
      query: monthlyQuery(
        members.table.map((m) => m.name),
        timeDimension,
        period.end,
        12,
        scope,
      ),
    });
  const seen = new Set<string>();
  return out.filter(({ query }) => {
    const key = JSON.stringify(query);
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
}
