import type { Catalog, CatalogMember } from '../data/catalog';

/** The executive KPIs of the board, in display order (DESIGN.md). */
export const BOARD_KPIS = ['revenue', 'active_customers', 'repeat_rate', 'historical_ltv', 'churn_rate', 'f2_conversion_90d', 'aov'];
/**
 * Revenue (KGI) = member revenue + non-member revenue, and member revenue = active customers ×
 * orders per customer × member AOV: which driver moved. All three drivers count members only, so
 * the product equals member revenue (non-member orders have no customer to count).
 */
export const TREE_KPIS = ['revenue', 'member_revenue', 'non_member_revenue', 'active_customers', 'orders_per_customer', 'member_aov'];
/** The monthly table's columns. */
export const TABLE_KPIS = ['revenue', 'orders', 'active_customers'];
/** The KPIs with a landing forecast (着地見込み), by their landing measure's `meta.kpi`. */
export const LANDING_KPIS = ['landing_revenue', 'landing_orders', 'landing_active_customers'];

/**
 * One landing forecast with its companions, which share its name's stem in the landing view
 * (revenue_landing: revenue_to_date, revenue_annual_target, revenue_landing_gap,
 * revenue_landing_attainment; see model/cubes/sales/fiscal_landing.yml).
 */
export interface LandingMembers {
  landing: CatalogMember;
  toDate?: CatalogMember;
  target?: CatalogMember;
  gap?: CatalogMember;
  attainment?: CatalogMember;
}

/** The members the board shows, found in the catalog by `meta.kpi` and `meta.role`. */
export interface BoardMembers {
  /** Revenue, in the board view: the period's view, time dimension and breakdowns are its. */
  revenue: CatalogMember;
  timeDimension: string;
  /** The last day with data (`meta.role: last_day_with_data`), in the board view: it dates every period. */
  lastDay: CatalogMember;
  channel?: CatalogMember;
  region?: CatalogMember;
  tenant?: CatalogMember;
  tenantName?: CatalogMember;
  /** The tiles' KPIs grouped by view (one set of queries per view). */
  tiles: { view: string; members: CatalogMember[] }[];
  /** Board KPIs the model does not define (their tiles say so). */
  missing: string[];
  /** The KGI tree's measures (TREE_KPIS, in that order), when the model defines them all in one view. */
  tree: CatalogMember[] | null;
  /** The monthly table's measures that live in the board view. */
  table: CatalogMember[];
  /** The tenant's fiscal-year start month (`meta.role: fiscal_year_start`), in the board view. */
  fiscalStart?: CatalogMember;
  /** The tenant's currency (`meta.role: currency`), in the board view: money is written in it. */
  currency?: CatalogMember;
  /** The revenue target by month (`meta.kpi: revenue_target`), for the target line and "no targets". */
  revenueTarget?: CatalogMember;
  /** The landing forecasts, all in one view with its `fiscal_year` dimension; null if the model has none. */
  landing: { view: string; fiscalYear: CatalogMember; asOf?: CatalogMember; kpis: LandingMembers[] } | null;
}

function landingMembers(catalog: Catalog): BoardMembers['landing'] {
  const found = LANDING_KPIS.map((k) => catalog.byKpi(k)).filter((m): m is CatalogMember => !!m);
  const view = found[0]?.view;
  const fiscalYear = view ? catalog.dimensionByRole(view, 'fiscal_year') : undefined;
  if (!view || !fiscalYear) return null;
  const kpis = found
    .filter((m) => m.view === view)
    .map((landing) => {
      const stem = landing.name.replace(/_landing$/, '');
      return {
        landing,
        toDate: catalog.member(`${stem}_to_date`),
        target: catalog.member(`${stem}_annual_target`),
        gap: catalog.member(`${landing.name}_gap`),
        attainment: catalog.member(`${landing.name}_attainment`),
      };
    });
  return { view, fiscalYear, asOf: catalog.member(`${view}.as_of`), kpis };
}

/** The board view's measure that dates the board (its `meta.role`). */
export const LAST_DAY_ROLE = 'last_day_with_data';

/** The last day with data (`meta.role: last_day_with_data`) beside revenue: it dates the board, and marks the cohort page's partial month. */
export function lastDayMember(catalog: Catalog): CatalogMember | undefined {
  const revenue = catalog.byKpi('revenue');
  return revenue && catalog.view(revenue.view)?.measures.find((m) => m.role === LAST_DAY_ROLE);
}

/** Null when the model has no revenue KPI with a time dimension and a last day with data beside it: then there is no board. */
export function boardMembers(catalog: Catalog): BoardMembers | null {
  const revenue = catalog.byKpi('revenue');
  const timeDimension = revenue && catalog.view(revenue.view)?.timeDimension;
  const lastDay = lastDayMember(catalog);
  if (!revenue || !timeDimension || !lastDay) return null;
  const view = revenue.view;
  const kpis = BOARD_KPIS.map((k) => catalog.byKpi(k));
  const found = kpis.filter((m): m is CatalogMember => !!m);
  const tree = TREE_KPIS.map((k) => catalog.byKpi(k));
  const treeView = tree[0]?.view;
  return {
    revenue,
    timeDimension,
    lastDay,
    channel: catalog.dimensionByRole(view, 'channel'),
    region: catalog.dimensionByRole(view, 'region'),
    tenant: catalog.dimensionByRole(view, 'tenant'),
    // The model gives the tenant's name no role yet; it is the view's `tenant_name`.
    tenantName: catalog.view(view)?.dimensions.find((d) => d.name === `${view}.tenant_name`),
    tiles: [...new Set(found.map((m) => m.view))].map((v) => ({ view: v, members: found.filter((m) => m.view === v) })),
    missing: BOARD_KPIS.filter((_, i) => !kpis[i]),
    tree: treeView && tree.every((m) => m?.view === treeView) ? (tree as CatalogMember[]) : null,
    table: TABLE_KPIS.map((k) => catalog.byKpi(k)).filter((m): m is CatalogMember => m?.view === view),
    fiscalStart: catalog.dimensionByRole(view, 'fiscal_year_start'),
    currency: catalog.dimensionByRole(view, 'currency'),
    revenueTarget: catalog.byKpi('revenue_target'),
    landing: landingMembers(catalog),
  };
}
