import type { ValueFormat } from '../ui/format';
import { LANGS, type Lang } from '../ui/i18n';

/** The model as the web app sees it, from /meta: measures found by `meta.kpi`, formatted by `meta.format`. */
export interface CatalogMember {
  name: string;
  kind: 'measure' | 'dimension';
  title: string;
  shortTitle: string;
  description?: string;
  type: string;
  format: ValueFormat;
  kpi?: string;
  role?: string;
  /** For target measures: the KPI key whose target or attainment this is. */
  targetFor?: string;
  /** `meta.direction: lower_is_better` (churn, dormancy): a fall is good news, for a change's colour. Its attainment is already target / actual in the model. */
  lowerIsBetter: boolean;
  /** A stock measured at the end of each month (repeat rate, churn…), not a flow summed over a period. */
  asOf: boolean;
  /** `meta.snapshot` (`month`): a measure taken once per month that the API refuses to sum over months, or the time dimension it is taken at. */
  snapshot?: string;
  view: string;
  /** The member's name per language (`meta.title_ja`, `meta.title_en`); absent where the model has none. */
  titles: Partial<Record<Lang, string>>;
  /** Labels of stored values per language (`meta.values_ja`, `meta.values_en`), e.g. champions → チャンピオン. */
  values: Record<Lang, Record<string, string>>;
  /** Values are names or ids, shown as stored (`meta.verbatim`, or personal data). */
  verbatim: boolean;
  /** A filter may name it: false (`meta.filterable`) for a member's own figures and ids when the role is under small-group suppression. */
  filterable: boolean;
  /** `meta.basis`: the full name of a measure of the same view stating the rule the figure follows (churn: the dormancy days), shown beside it. */
  basis?: string;
}

export interface CatalogView {
  name: string;
  title: string;
  titles: Partial<Record<Lang, string>>;
  description?: string;
  board: boolean;
  measures: CatalogMember[];
  dimensions: CatalogMember[];
  /** The view's time dimension (its first `time` dimension), for trends and date ranges. */
  timeDimension?: string;
}

export interface Catalog {
  views: CatalogView[];
  /** The measure carrying `meta.kpi === key`, preferring board views. */
  byKpi(key: string): CatalogMember | undefined;
  /** The `kpi_attainment` measure whose `meta.target_for` is the given KPI: in the KPI's own view if it has one, else any view. */
  attainmentFor(measure: CatalogMember): CatalogMember | undefined;
  member(name: string): CatalogMember | undefined;
  view(name: string): CatalogView | undefined;
  /** A dimension with `meta.role === role` in the given view. */
  dimensionByRole(view: string, role: string): CatalogMember | undefined;
}

interface RawMember { name: string; title?: string; shortTitle?: string; description?: string; type: string; meta?: Record<string, unknown> }
interface RawCube { name: string; title?: string; description?: string; type?: string; meta?: Record<string, unknown>; measures?: RawMember[]; dimensions?: RawMember[] }

const FORMATS: ValueFormat[] = ['currency', 'percent', 'number'];

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** `meta.title_<lang>` of each language the model names the member in. */
function titlesOf(meta: Record<string, unknown> | undefined): Partial<Record<Lang, string>> {
  return Object.fromEntries(LANGS.flatMap((lang) => (text(meta?.[`title_${lang}`]) ? [[lang, text(meta?.[`title_${lang}`])]] : [])));
}

/** `meta.values_<lang>` maps (stored value → label); YAML keys such as true/false arrive as strings. */
function valuesOf(meta: Record<string, unknown> | undefined): Record<Lang, Record<string, string>> {
  const map = (v: unknown) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, l]) => text(l))) as Record<string, string> : {});
  return Object.fromEntries(LANGS.map((lang) => [lang, map(meta?.[`values_${lang}`])])) as Record<Lang, Record<string, string>>;
}

function member(view: string, raw: RawMember, kind: CatalogMember['kind']): CatalogMember {
  const format = FORMATS.includes(raw.meta?.format as ValueFormat) ? (raw.meta!.format as ValueFormat) : 'number';
  return {
    name: raw.name,
    kind,
    title: raw.title ?? raw.name,
    shortTitle: raw.shortTitle ?? raw.title ?? raw.name,
    description: raw.description,
    type: raw.type,
    format,
    kpi: typeof raw.meta?.kpi === 'string' ? raw.meta.kpi : undefined,
    role: typeof raw.meta?.role === 'string' ? raw.meta.role : undefined,
    targetFor: typeof raw.meta?.target_for === 'string' ? raw.meta.target_for : undefined,
    lowerIsBetter: raw.meta?.direction === 'lower_is_better',
    asOf: raw.meta?.as_of === true,
    snapshot: typeof raw.meta?.snapshot === 'string' ? raw.meta.snapshot : undefined,
    view,
    titles: titlesOf(raw.meta),
    values: valuesOf(raw.meta),
    verbatim: raw.meta?.verbatim === true || raw.meta?.pii === true,
    filterable: raw.meta?.filterable !== false,
    basis: typeof raw.meta?.basis === 'string' ? `${view}.${raw.meta.basis}` : undefined,
  };
}

export function buildCatalog(cubes: RawCube[]): Catalog {
  const views: CatalogView[] = cubes.map((c) => {
    const dimensions = (c.dimensions ?? []).map((d) => member(c.name, d, 'dimension'));
    return {
      name: c.name,
      title: c.title ?? c.name,
      titles: titlesOf(c.meta),
      description: c.description,
      board: c.meta?.board === true,
      // A digest of who a count counts is the server's own (noisyThreshold.ts): no query may ask for it.
      measures: (c.measures ?? []).filter((m) => m.meta?.role !== 'customer_digest').map((m) => member(c.name, m, 'measure')),
      dimensions,
      timeDimension: dimensions.find((d) => d.type === 'time')?.name,
    };
  });
  const members = new Map(views.flatMap((v) => [...v.measures, ...v.dimensions]).map((m) => [m.name, m]));
  const ordered = [...views].sort((a, b) => Number(b.board) - Number(a.board));
  return {
    views,
    byKpi: (key) => ordered.flatMap((v) => v.measures).find((m) => m.kpi === key),
    attainmentFor: (measure) => {
      const candidates = views.flatMap((v) => v.measures).filter((m) => m.kpi === 'kpi_attainment' && m.targetFor === measure.kpi);
      return candidates.find((m) => m.view === measure.view) ?? candidates[0];
    },
    member: (name) => members.get(name),
    view: (name) => views.find((v) => v.name === name),
    dimensionByRole: (view, role) => views.find((v) => v.name === view)?.dimensions.find((d) => d.role === role),
  };
}
