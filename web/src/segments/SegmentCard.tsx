import { Button, Card, Flex, Text, Title } from '@tremor/react';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import type { SegmentRow } from './segmentQueries';
import type { SegmentsState } from './useSegments';

/** One segment's figures, a hidden one as "< 10", and the buttons downloading its contact lists. */
export function SegmentCard({ row, segments }: { row: SegmentRow; segments: SegmentsState }) {
  const { t, lang } = useT();
  const { measures, figure, figureFormats, minGroupSize, channels, exporting } = segments;
  return (
    <Card decoration="top" decorationColor={row.key === 'built' ? 'amber' : 'indigo'} data-testid={`segment-${row.key}`}>
      <Title>{segments.label(row)}</Title>
      {measures.map((m) => (
        <Flex key={m.name} className="mt-2">
          <Text>{memberLabel(m, lang)}</Text>
          <span className="text-tremor-default font-medium text-tremor-content-strong" data-testid={`${row.key}-${m.name.split('.')[1]}`} data-value={row.figures[m.name] ?? ''}>
            {row.figures[m.name] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : figureFormats.get(m.name)!(figure(row, m.name))}
          </span>
        </Flex>
      ))}
      {channels.length > 0 && (
        <Flex justifyContent="start" className="mt-4 flex-wrap gap-2">
          {channels.map((channel) => (
            <Button
              key={channel}
              size="xs"
              variant="secondary"
              loading={exporting === `${row.key}|${channel}`}
              tooltip={t('segments.contactsConsent')}
              data-testid={`contacts-${row.key}-${channel}`}
              onClick={() => segments.exportContacts(channel, row)}
            >
              {t(channel === 'email' ? 'segments.contactsEmail' : 'segments.contactsLine')}
            </Button>
          ))}
        </Flex>
      )}
    </Card>
  );
}
