import { Button, Card, Select, SelectItem, Text, TextInput } from '@tremor/react';
import { useState } from 'react';
import type { Catalog } from '../data/catalog';
import { useCubeQuery } from '../data/useCubeQuery';
import { useT } from '../ui/LangContext';
import { memberLabel } from '../ui/measureLabel';
import { PagedTable } from '../ui/PagedTable';
import { QueryLoad } from '../ui/QueryState';
import { searchFields, searchQuery, type SearchField } from './customerQueries';

const RESULT_COLUMNS = ['customer_id', 'name', 'email', 'phone', 'tier'].map((c) => `customer_segments.${c}`);
const MAX_RESULTS = 20;

/**
 * The search box: a member number opens the member (?id=); a name, email or phone lists the
 * matches (?by=…&q=…), each opening its member. Roles see only the fields their catalog has,
 * and the server refuses personal-data filters to roles without them.
 */
export function CustomerSearch({ catalog, params, setParams }: { catalog: Catalog; params: URLSearchParams; setParams: (set: Record<string, string | null>) => void }) {
  const { t, lang } = useT();
  const fields = searchFields((m) => catalog.member(m) !== undefined);
  const by = (fields.includes(params.get('by') as SearchField) ? params.get('by') : 'customer_id') as SearchField;
  const q = by === 'customer_id' ? '' : (params.get('q') ?? '');
  const [field, setField] = useState<SearchField>(by);
  const [text, setText] = useState(by === 'customer_id' ? (params.get('id') ?? '') : q);
  const columns = RESULT_COLUMNS.map((c) => catalog.member(c)).filter((c) => c !== undefined);
  const results = useCubeQuery(
    q
      ? searchQuery(
          by,
          q,
          columns.map((c) => c.name),
          MAX_RESULTS,
        )
      : null,
  );
  const rows = (results.resultSet?.tablePivot() ?? []) as Record<string, unknown>[];
  const submit = () => {
    if (!text.trim()) return;
    setParams(field === 'customer_id' ? { id: text.trim(), by: null, q: null } : { by: field, q: text.trim(), id: null });
  };

  return (
    <Card data-testid="customer-search-card">
      <form
        className="flex flex-wrap items-center gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="w-44" data-testid="customer-search-by">
          <Select placeholder={t('state.choose')} value={field} onValueChange={(v) => setField(v as SearchField)} enableClear={false} aria-label={t('customer.searchBy')}>
            {fields.map((f) => (
              <SelectItem key={f} value={f}>
                {memberLabel(catalog.member(`customer_segments.${f}`)!, lang)}
              </SelectItem>
            ))}
          </Select>
        </div>
        <TextInput className="w-72" value={text} onValueChange={setText} placeholder={memberLabel(catalog.member(`customer_segments.${field}`)!, lang)} data-testid="customer-search" />
        <Button type="submit" size="xs" data-testid="customer-search-submit">
          {t('customer.search')}
        </Button>
      </form>
      {!params.get('id') && !q && <Text className="mt-3">{t(fields.length > 1 ? 'customer.hint' : 'customer.hintNumberOnly')}</Text>}
      {q && (
        <QueryLoad state={results} empty={!rows.length} emptyReason="customer.noMatch" skeleton="h-24">
          <Text className="mt-3">{t('customer.results', { n: rows.length, max: MAX_RESULTS })}</Text>
          <div className="mt-2">
            <PagedTable
              rows={rows}
              columns={columns}
              testId="customer-results"
              href={(c, v) => (c.name === 'customer_segments.customer_id' && v !== null ? `/customer?${new URLSearchParams({ id: String(v), lang })}` : undefined)}
            />
          </div>
        </QueryLoad>
      )}
    </Card>
  );
}
