import { BarChart, Card, Flex, Title } from '@tremor/react';
import type { Catalog, CatalogMember } from '../data/catalog';
import { ExportButton } from '../ui/ExportButton';
import { chartAxis } from '../ui/format';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { QueryLoad } from '../ui/QueryState';
import type { SegmentsState } from './useSegments';

/** One measure across the segments as bars, exported as the card reads. */
export function SegmentMeasureCard({ catalog, measure: m, segments }: { catalog: Catalog; measure: CatalogMember; segments: SegmentsState }) {
  const { lang } = useT();
  const { rows, label, figure, dimension, minGroupSize, currency } = segments;
  const title = memberLabel(m, lang);
  const compared = catalog.member(dimension);
  return (
    <Card>
      <Flex>
        <Title>{title}</Title>
        <ExportButton
          filename={`segments-${m.name.split('.')[1]}`}
          rows={rows.map((r) => ({ segment: label(r), [m.name]: r.figures[m.name] }))}
          columns={[{ name: 'segment', header: compared ? memberLabel(compared, lang) : dimension, text: String }, m]}
          minGroupSize={minGroupSize}
        />
      </Flex>
      {/* Horizontal bars: segment names (long in Japanese, and the built segment's conditions) each get a line of
        their own instead of being dropped from a crowded x axis, and the value axis has room for ¥ figures. */}
      <QueryLoad state={segments.loading} empty={rows.length === 0} emptyReason="empty.segments" skeleton="h-48">
        <BarChart
          className="mt-4 h-48"
          layout="vertical"
          yAxisWidth={144}
          data={rows.map((r) => ({ segment: label(r), [title]: figure(r, m.name) }))}
          index="segment"
          categories={[title]}
          colors={['indigo']}
          valueFormatter={
            chartAxis(
              rows.map((r) => Number(r.figures[m.name]) || 0),
              m.format,
              lang,
              currency,
            ).valueFormatter
          }
          data-testid={`segment-chart-${m.name.split('.')[1]}`}
        />
      </QueryLoad>
    </Card>
  );
}
