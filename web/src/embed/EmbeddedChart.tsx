import { AreaChart, BarChart, Callout, Card, DonutChart, LineChart, Metric, Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow, Text, Title } from '@tremor/react';
import { useEffect, useRef, useState } from 'react';
import { chartAxis, formatValue, type ValueFormat } from '../ui/format';

/** The embed data route's answer: the saved chart and its query result (already scoped and suppressed). */
interface EmbedResponse {
  chart: { id: string; title: string; chartType: 'kpi' | 'line' | 'area' | 'bar' | 'donut' | 'table' };
  result: {
    query: { measures?: string[]; dimensions?: string[]; timeDimensions?: { dimension: string; granularity?: string }[] };
    data: Record<string, string | null>[];
    annotation: {
      measures: Record<string, { shortTitle: string; meta?: { format?: ValueFormat; title_ja?: string; title_en?: string } }>;
      dimensions: Record<string, { shortTitle: string }>;
      timeDimensions: Record<string, { shortTitle: string }>;
    };
    suppressed?: { minGroupSize: number };
  };
}

const lang = navigator.language.startsWith('ja') ? 'ja' : 'en';
/** The product's chart palette (safelisted in tailwind.config.ts). */
const COLORS = ['indigo', 'cyan', 'amber', 'emerald', 'rose', 'violet', 'teal', 'blue'];

/** One saved chart, alone on the page: what `/embed/<chart>?token=…` and `<crm-chart>` show. */
export function EmbeddedChart({ chartId, token }: { chartId: string; token: string }) {
  const [response, setResponse] = useState<EmbedResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    fetch(`/api/embed/${encodeURIComponent(chartId)}/data`, { headers: { Authorization: `Bearer ${token}` } })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
        setResponse(body);
      })
      .catch((e: Error) => setError(e.message));
  }, [chartId, token]);

  useEffect(() => {
    // Lets <crm-chart> size its iframe to the chart.
    if (root.current) window.parent.postMessage({ type: 'crm-chart:height', chartId, height: root.current.scrollHeight }, '*');
  }, [response, error, chartId]);

  if (error)
    return (
      <div ref={root} className="p-2">
        <Callout title={error} color="rose" />
      </div>
    );
  if (!response)
    return (
      <div ref={root} className="p-4">
        <div className="h-48 animate-pulse rounded bg-tremor-background-subtle" />
      </div>
    );

  const { chart, result } = response;
  const measures = result.query.measures ?? [];
  const time = result.query.timeDimensions?.find((t) => t.granularity);
  const index = time ? `${time.dimension}.${time.granularity}` : (result.query.dimensions?.[0] ?? '');
  // The model's own name in the reader's language (meta.title_ja / title_en), as on the dashboard.
  const title = (m: string) => result.annotation.measures[m]?.meta?.[`title_${lang}`] ?? result.annotation.measures[m]?.shortTitle ?? m;
  const format = (m: string) => result.annotation.measures[m]?.meta?.format ?? 'number';
  const rows = result.data.map((r) => ({
    ...r,
    [index]: time ? String(r[index]).slice(0, 10) : r[index],
    ...Object.fromEntries(measures.map((m) => [title(m), r[m] === null ? null : Number(r[m])])),
  }));
  const categories = measures.map(title);
  const valueFormatter = (v: number) => formatValue(v, format(measures[0]), lang);
  // Line, area and bar charts have a y-axis: one unit for all its ticks, and room for them (format.ts chartAxis).
  const axis = chartAxis(
    rows.flatMap((r) => categories.map((c) => Number(r[c]) || 0)),
    format(measures[0]),
    lang,
  );

  return (
    <div ref={root} className="p-2" data-testid="embedded-chart">
      <Card>
        <Title>{chart.title}</Title>
        {result.suppressed && (
          <Text className="text-tremor-label">
            {`< ${result.suppressed.minGroupSize}`}: {lang === 'ja' ? '少人数のため非表示' : 'hidden: group too small'}
          </Text>
        )}
        {chart.chartType === 'kpi' && <Metric className="mt-2">{formatValue(rows[0]?.[categories[0]] as number | null, format(measures[0]), lang)}</Metric>}
        {chart.chartType === 'line' && <LineChart className="mt-4 h-64" data={rows} index={index} categories={categories} colors={COLORS} {...axis} />}
        {chart.chartType === 'area' && <AreaChart className="mt-4 h-64" data={rows} index={index} categories={categories} colors={COLORS} {...axis} />}
        {chart.chartType === 'bar' && <BarChart className="mt-4 h-64" data={rows} index={index} categories={categories} colors={COLORS} {...axis} />}
        {chart.chartType === 'donut' && <DonutChart className="mt-4 h-64" data={rows} index={index} category={categories[0]} colors={COLORS} valueFormatter={valueFormatter} />}
        {chart.chartType === 'table' && (
          <Table className="mt-4">
            <TableHead>
              <TableRow>
                {[index, ...categories].map((c) => (
                  <TableHeaderCell key={c}>{c}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r, i) => (
                <TableRow key={i}>
                  {[index, ...categories].map((c) => (
                    <TableCell key={c}>{String(r[c] ?? '–')}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
