import { BaseFilter, BaseQuery } from '../cubePackages.js';
import { assertKnownTimeZone } from '../policy/timeZones.js';
import { distinctValuesSql, DuckDBMeasure, isDistinctCount, mergedDistinctCountSql } from './distinctRollups.js';

const NUMERIC_MEMBER_TYPES = new Set(['number', 'count', 'count_distinct', 'count_distinct_approx', 'sum', 'avg', 'min', 'max']);

class DuckDBFilter extends BaseFilter {
  /** Numeric members bind their values as DOUBLE, so '100' compares as a number, not text. */
  castParameter(): string {
    return NUMERIC_MEMBER_TYPES.has((this as any).definition().type) ? 'CAST(? AS DOUBLE)' : '?';
  }

  /** Cube escapes % and _ in filter values with a backslash; DuckDB needs to be told so. */
  likeIgnoreCase(column: string, not: boolean, param: unknown, type?: string): string {
    return `${super.likeIgnoreCase(column, not, param, type)} ESCAPE '\\'`;
  }
}

/**
 * Cube's SQL dialect for DuckDB. Timestamps in the warehouse are local time without zone;
 * like the Postgres dialect, they are read as UTC and shifted to the query's time zone,
 * so both warehouses give the same buckets for the same query.
 */
export class DuckDBQuery extends BaseQuery {
  constructor(compilers: any, options: any) {
    super(compilers, options);
    // The zone is pasted into SQL by convertTz: only an IANA name may get there.
    const timeZone = (this as any).timezone;
    if (timeZone !== undefined) assertKnownTimeZone(timeZone);
  }

  newFilter(filter: unknown) {
    return new DuckDBFilter(this as any, filter as any);
  }

  newMeasure(measurePath: unknown) {
    return new DuckDBMeasure(this as any, measurePath);
  }

  /** Building a rollup, a count_distinct keeps its distinct values (distinctRollups.ts). */
  renderSqlMeasure(name: string, evaluateSql: string, symbol: any, cubeName: string, parentMeasure: unknown, orderBySql: unknown): string {
    const sql = super.renderSqlMeasure(name, evaluateSql, symbol, cubeName, parentMeasure, orderBySql);
    const building = (this as any).options.preAggregationQuery && isDistinctCount(symbol);
    return building && sql === `count(distinct ${evaluateSql})` ? distinctValuesSql(evaluateSql) : sql;
  }

  /** Reading a rollup, a count_distinct counts the union of its rows' values (not inside a rolling window's inner rows). */
  aggregateOnGroupedColumn(symbol: any, evaluateSql: string, topLevelMerge: boolean, measurePath: string) {
    const cumulative = (this as any).safeEvaluateSymbolContext().ungroupedAliasesForCumulative?.[measurePath];
    if (isDistinctCount(symbol) && !cumulative) return mergedDistinctCountSql(evaluateSql);
    return super.aggregateOnGroupedColumn(symbol, evaluateSql, topLevelMerge, measurePath);
  }

  convertTz(field: string): string {
    return `timezone('${(this as any).timezone}', ${field}::TIMESTAMPTZ)`;
  }

  timeGroupedColumn(granularity: string, dimension: string): string {
    return `date_trunc('${granularity}', ${dimension})`;
  }

  countDistinctApprox(sql: string): string {
    return `approx_count_distinct(${sql})`;
  }

  sqlTemplates() {
    const templates = super.sqlTemplates();
    templates.functions.DATETRUNC = 'DATE_TRUNC({{ args_concat }})';
    templates.functions.LEAST = 'LEAST({{ args_concat }})';
    templates.functions.GREATEST = 'GREATEST({{ args_concat }})';
    return templates;
  }
}
