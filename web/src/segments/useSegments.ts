import type { CubeApi } from '@cubejs-client/core';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useDataCoverage } from '../data/dataCoverage';
import { useSessionContext } from '../data/SessionContext';
import { suppressedBelow } from '../data/suppression';
import { useCubeQuery } from '../data/useCubeQuery';
import { useCurrency } from '../ui/currency';
import { columnFormatter } from '../ui/format';
import { useT } from '../ui/LangContext';
import { useCsvExport, type CsvExport } from '../ui/useCsvExport';
import { valueLabel } from '../ui/measureLabel';
import {
  builtSegmentQuery,
  compareQuery,
  COMPARE_MEASURES,
  conditionsFromParams,
  CONTACT_CHANNELS,
  CONTACT_LISTS,
  contactListQuery,
  dimensionValues,
  segmentRows,
  segmentValuesQuery,
  type ContactChannel,
  type SegmentRow,
} from './segmentQueries';

const ROLES = ['rfm_segment', 'tier', 'channel', 'region', 'age_band'];

/** Downloads one channel's contact list of a segment, under the column titles of the model (会員ID, 氏名, メールアドレス). */
async function exportContacts(cubeApi: CubeApi, catalog: Catalog, exportCsv: CsvExport, channel: ContactChannel, segment: SegmentRow) {
  const query = contactListQuery(channel, segment.conditions);
  const rs = await cubeApi.load(query);
  const columns = (query.dimensions ?? []).map((d) => catalog.member(d)).filter((c) => c !== undefined);
  exportCsv(`segment-${segment.key}-${channel}-contacts`, rs.rawData() as Record<string, unknown>[], columns);
}

/**
 * The segments page's state: the dimension compared and its values picked (kept in the URL),
 * the segment built from conditions, their figures as cards (one format per measure across the
 * cards) and the contact lists the role may download. SegmentsPage and its cards only render.
 */
export function useSegments(catalog: Catalog, params: URLSearchParams, setParams: (set: Record<string, string | null>) => void) {
  const { t, lang } = useT();
  const currency = useCurrency();
  const { cubeApi } = useSessionContext();
  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = useCsvExport();
  // A tenant without tier records (an import) would read as all "regular": tiers are not offered.
  const noTiers = useDataCoverage(!!catalog.view('data_coverage'))?.tiers === false;
  const dims = ROLES.filter((r) => !(noTiers && r === 'tier'))
    .map((r) => catalog.dimensionByRole('customer_segments', r))
    .filter((d) => d !== undefined);
  const dimension = dims.find((d) => d.name === params.get('by'))?.name ?? dims[0]?.name ?? '';
  const options = useCubeQuery(dimension ? segmentValuesQuery(dimension) : null);
  const values = dimensionValues((options.resultSet?.tablePivot() ?? []) as Record<string, string | null>[], dimension);
  const conditions = conditionsFromParams(dims, params);
  // Four cards at most: a built segment takes the place of one value.
  const maxValues = conditions.length ? 3 : 4;
  const picked = (params.get('segments') ?? '').split(',').filter(Boolean).slice(0, maxValues);
  const chosen = picked.length ? picked : values.slice(0, maxValues);
  const compare = useCubeQuery(dimension && chosen.length ? compareQuery(dimension, chosen) : null);
  const built = useCubeQuery(conditions.length ? builtSegmentQuery(conditions) : null);
  const rows = segmentRows(dimension, (compare.resultSet?.tablePivot() ?? []) as Record<string, string | null>[], conditions, (built.resultSet?.tablePivot() ?? []) as Record<string, string | null>[]);
  const measures = COMPARE_MEASURES.map((m) => catalog.member(m)).filter((m) => m !== undefined);
  const figure = (r: SegmentRow, measure: string) => (r.figures[measure] === null ? null : Number(r.figures[measure]));

  return {
    dims,
    dimension,
    values,
    chosen,
    rows,
    measures,
    figure,
    currency,
    noTiers,
    label: (r: SegmentRow) => {
      const named = r.conditions.map((c) => valueLabel(catalog.member(c.dimension), c.value, lang)).join(' · ');
      return r.key === 'built' ? `${t('segments.built')}: ${named}` : named;
    },
    error: compare.error ?? built.error,
    /** Both queries' state, for what draws them together (the measure charts; the error shows once, above the cards). */
    loading: { isLoading: compare.isLoading || built.isLoading, error: null, resultSet: compare.resultSet ?? built.resultSet },
    minGroupSize: suppressedBelow(compare.resultSet) ?? suppressedBelow(built.resultSet),
    // One format per measure across the cards, as in a table column (¥219,300 beside ¥37,730, not ¥21.93万 beside ¥37,730).
    figureFormats: new Map(
      measures.map(
        (m) =>
          [
            m.name,
            columnFormatter(
              rows.map((r) => figure(r, m.name)),
              m.format,
              lang,
              currency,
            ),
          ] as const,
      ),
    ),
    // Contact lists carry personal data: a channel is offered when the role's catalog has its list with names.
    channels: CONTACT_CHANNELS.filter((c) => catalog.member(`${CONTACT_LISTS[c].view}.name`)),
    exporting,
    exportContacts: async (channel: ContactChannel, r: SegmentRow) => {
      setExporting(`${r.key}|${channel}`);
      await exportContacts(cubeApi, catalog, exportCsv, channel, r).finally(() => setExporting(null));
    },
    conditionValues: Object.fromEntries(dims.map((d) => [d.role!, params.get(`f_${d.role}`) ?? ''])),
    pickDimension: (by: string) => setParams({ by, segments: null }),
    pickValues: (picked: string[]) => setParams({ segments: picked.slice(0, maxValues).join(',') || null }),
    setCondition: (role: string, value: string | null) => setParams({ [`f_${role}`]: value }),
  };
}

export type SegmentsState = ReturnType<typeof useSegments>;
