import type { ValueFormat } from '../ui/format';

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
  /** A stock measured at the end of each month (repeat rate, churn…), not a flow summed over a period. */
  asOf: boolean;
  view: string;
}

export interface CatalogView {
  name: string;
  title: string;
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
    asOf: raw.meta?.as_of === true,
    view,
  };
}

export function buildCatalog(cubes: RawCube[]): Catalog {
  const views: CatalogView[] = cubes.map((c) => {
    const dimensions = (c.dimensions ?? []).map((d) => member(c.name, d, 'dimension'));
    return {
      name: c.name,
      title: c.title ?? c.name,
      description: c.description,
      board: c.meta?.board === true,
      measures: (c.measures ?? []).map((m) => member(c.name, m, 'measure')),
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
