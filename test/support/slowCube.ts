/**
 * A cube whose every query sleeps `ms` inside DuckDB, once per tenant row (in `n`, so no
 * projection pushdown skips it): a long query of the same length on any machine.
 */
export function slowCube(ms: number, tenants: string[] = ['t01']): string {
  const rows = tenants.map((t) => `('${t}')`).join(', ');
  return `cubes:
  - name: slow
    sql: "SELECT t.tenant_id, range + CASE WHEN sleep_ms(${ms}) IS NULL THEN 0 ELSE 0 END AS n FROM (VALUES ${rows}) t(tenant_id), range(1)"
    dimensions:
      - name: n
        sql: n
        type: number
        primary_key: true
        public: true
      - name: tenant_id
        sql: tenant_id
        type: string
    measures:
      - name: count
        type: count
`;
}

/** Different queries of the slow cube (no two share Cube's queue entry), each sleeping once. */
export const slowQuery = (i: number) => ({ measures: ['slow.count'], filters: [{ member: 'slow.n', operator: 'notEquals', values: [String(100 + i)] }] });
