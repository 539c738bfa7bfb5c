/**
 * `npm run model:check`: the rules every model file must follow, checked before the model
 * serves anyone. Each issue names the file and the member.
 */
import { readFileSync } from 'node:fs';
import { walkFiles } from './fileTree.js';
import path from 'node:path';
import yaml from 'js-yaml';
import { contributorsOf, digestOf, type MemberIndex } from './policy/memberIndex.js';
import { TENANT_DIMENSION } from './policy/tenantScope.js';

export interface ModelIssue {
  file: string;
  member?: string;
  message: string;
}

interface Member {
  name: string;
  sql?: string;
  type?: string;
  description?: string;
  primary_key?: boolean;
  meta?: Record<string, unknown>;
}
interface Join {
  name: string;
  sql: string;
  relationship: string;
}
interface CubeDef {
  name: string;
  sql_table?: string;
  sql?: string;
  dimensions?: Member[];
  measures?: Member[];
  joins?: Join[];
}
interface ViewDef {
  name: string;
  cubes?: { join_path: string; includes?: '*' | (string | { name: string })[] }[];
}

// 'date': a day (the last day with data), which the board reads as a date, never as a figure.
const FORMATS = ['currency', 'percent', 'number', 'date'];

/** How an issue is printed: file, member, message. */
export const describeIssue = (i: ModelIssue) => `${i.file}${i.member ? ` (${i.member})` : ''}: ${i.message}`;

const modelFiles = (dir: string) =>
  walkFiles(dir)
    .files.filter((file) => /\.ya?ml$/.test(file))
    .sort();

/** Static rules: descriptions and formats, the tenant dimension, joins that can fan out. */
export function lintModel(modelPath: string): { issues: ModelIssue[]; cubes: Map<string, CubeDef & { file: string }>; files: Map<string, string> } {
  const issues: ModelIssue[] = [];
  const cubes = new Map<string, CubeDef & { file: string }>();
  const views: (ViewDef & { file: string })[] = [];
  for (const full of modelFiles(modelPath)) {
    const file = path.relative(modelPath, full);
    let doc: { cubes?: CubeDef[]; views?: ViewDef[] };
    try {
      doc = (yaml.load(readFileSync(full, 'utf8')) ?? {}) as typeof doc;
    } catch (e) {
      issues.push({ file, message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const cube of doc.cubes ?? []) cubes.set(cube.name, { ...cube, file });
    for (const view of doc.views ?? []) views.push({ ...view, file });
  }

  for (const cube of cubes.values()) {
    if (!cube.dimensions?.some((d) => d.name === TENANT_DIMENSION)) {
      issues.push({ file: cube.file, member: cube.name, message: `has no "${TENANT_DIMENSION}" dimension, so row-level security cannot scope it` });
    }
    for (const m of cube.measures ?? []) {
      if (!m.description?.trim()) issues.push({ file: cube.file, member: `${cube.name}.${m.name}`, message: 'measure has no description' });
      if (!FORMATS.includes(String(m.meta?.format))) issues.push({ file: cube.file, member: `${cube.name}.${m.name}`, message: `measure has no meta.format (${FORMATS.join(', ')})` });
    }
    for (const join of cube.joins ?? []) {
      const target = cubes.get(join.name);
      if (!target || !['many_to_one', 'one_to_one', 'belongs_to', 'has_one'].includes(join.relationship)) continue;
      const key = target.dimensions?.find((d) => d.primary_key);
      const keyColumn = key?.sql?.trim();
      const onKey = key && (join.sql.includes(`{${target.name}.${key.name}}`) || (keyColumn && join.sql.includes(`{${target.name}}.${keyColumn}`)));
      if (!onKey) {
        issues.push({ file: cube.file, member: `${cube.name} → ${join.name}`, message: `${join.relationship} join is not on ${join.name}'s primary key, so it can fan out` });
      }
    }
  }
  // Checked once every file is read: cubes may come after the views that use them.
  for (const view of views) {
    const exposesTenant = view.cubes?.some((c) => c.includes === '*' || c.includes?.some((i) => (typeof i === 'string' ? i : i.name) === TENANT_DIMENSION));
    if (!exposesTenant) issues.push({ file: view.file, member: view.name, message: `view does not include "${TENANT_DIMENSION}", so row-level security cannot scope it` });
  }
  const files = new Map([...[...cubes.values()].map((c) => [c.name, c.file] as const), ...views.map((v) => [v.name, v.file] as const)]);
  return { issues, cubes, files };
}

/**
 * Compiled rule of small-group suppression: each `meta.contributors` entry names a measure of
 * the same cube or view that counts distinct customers (`meta.role: customer_count` or
 * `meta.distinct_customers`), so a view must include a measure's contributors beside it; and
 * every measure of a public view (all of them reach roles under suppression) resolves to some
 * count its figures are judged by (its contributors, itself, or the view's customer count); and
 * a view includes the digest (`meta.digest`) of each count that declares one.
 */
export function contributorIssues(index: MemberIndex, files: Map<string, string>): ModelIssue[] {
  const issues: ModelIssue[] = [];
  for (const cube of index.values()) {
    const file = files.get(cube.name) ?? cube.name;
    for (const m of cube.members.values()) {
      if (m.kind !== 'measure') continue;
      for (const c of m.contributors ?? []) {
        const target = cube.members.get(c);
        if (!target || target.kind !== 'measure') issues.push({ file, member: m.name, message: `meta.contributors names ${c}, which is not a measure of ${cube.name}` });
        else if (!target.countsCustomers)
          issues.push({ file, member: m.name, message: `meta.contributors names ${c}, which does not count distinct customers (meta.role: customer_count or meta.distinct_customers)` });
      }
      for (const d of cube.visible ? (m.distinctWithin ?? []) : []) {
        if (cube.members.get(d)?.kind !== 'dimension') issues.push({ file, member: m.name, message: `meta.distinct_within names ${d}, which is not a dimension of ${cube.name}` });
      }
      // A count's digest seeds its noisy threshold; a view without it would judge the count by the exact minimum.
      if (cube.visible && m.digest && !digestOf(m.name, index)) {
        issues.push({ file, member: m.name, message: `meta.digest names ${m.digest}, which is not a meta.role: customer_digest measure of ${cube.name}: include it beside the count` });
      }
      if (cube.visible && !contributorsOf(m.name, index)) {
        issues.push({ file, member: m.name, message: 'no distinct-customer count judges its figures: declare meta.contributors, or give the view a meta.role: customer_count measure' });
      }
    }
  }
  return issues;
}

/** Runs SQL against the warehouse the model serves. */
export type RunSql = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * Data rule: a table cube's primary key must be unique in the warehouse, or every many_to_one
 * join onto it multiplies rows.
 */
export async function checkPrimaryKeys(cubes: Map<string, CubeDef & { file: string }>, run: RunSql): Promise<ModelIssue[]> {
  const issues: ModelIssue[] = [];
  for (const cube of cubes.values()) {
    const key = cube.dimensions?.find((d) => d.primary_key);
    if (!cube.sql_table || !key?.sql || !/^\w+$/.test(key.sql.trim())) continue;
    const duplicates = await run(`SELECT ${key.sql} AS k FROM ${cube.sql_table} GROUP BY ${key.sql} HAVING count(*) > 1 LIMIT 1`, []);
    if (duplicates.length) {
      issues.push({
        file: cube.file,
        member: `${cube.name}.${key.name}`,
        message: `primary key is not unique in ${cube.sql_table} (e.g. ${String((duplicates[0] as { k: unknown }).k)}): joins onto ${cube.name} fan out`,
      });
    }
  }
  return issues;
}

/** The SQL Cube generates for a query (CompilerApi.getSql), with its parameters. */
export type MemberSql = (query: { measures: string[]; dimensions: string[] }) => Promise<[string, unknown[]]>;

/**
 * Data rule: every member's SQL runs against the warehouse. Cube compiles `sql: discout_amount`
 * without complaint; the warehouse does not. Each cube's members are bound together (LIMIT 0,
 * so nothing is read); when that fails, one by one, so the issue names the member.
 */
export async function checkMemberSql(cubes: Map<string, CubeDef & { file: string }>, sqlFor: MemberSql, run: RunSql): Promise<ModelIssue[]> {
  const issues: ModelIssue[] = [];
  const binds = async (query: { measures: string[]; dimensions: string[] }): Promise<string | null> => {
    try {
      const [sql, params] = await sqlFor(query);
      await run(`SELECT * FROM (${sql}) AS model_check LIMIT 0`, params);
      return null;
    } catch (e) {
      return (e as Error).message.split('\n')[0];
    }
  };
  for (const cube of cubes.values()) {
    const members = (kind: 'measures' | 'dimensions') => (cube[kind] ?? []).map((m) => `${cube.name}.${m.name}`);
    // Cube asks ungrouped queries for the primary keys: the cube's, and those of the cubes its
    // members read (orders.fiscal_year reads {tenants.fiscal_year_start_month}).
    const read = [cube.name, ...(cube.dimensions ?? []).flatMap((d) => [...String(d.sql ?? '').matchAll(/\{(\w+)\.\w+\}/g)].map((m) => m[1]))];
    const keys = [...new Set(read)].flatMap((name) => (cubes.get(name)?.dimensions ?? []).filter((d) => d.primary_key).map((d) => `${name}.${d.name}`));
    const together = await binds({ measures: members('measures'), dimensions: [...new Set([...keys, ...members('dimensions')])] });
    if (!together) continue;
    const before = issues.length;
    for (const kind of ['dimensions', 'measures'] as const) {
      for (const member of members(kind)) {
        const dimensions = [...new Set([...keys, ...(kind === 'dimensions' ? [member] : [])])];
        const error = await binds({ measures: kind === 'measures' ? [member] : [], dimensions });
        if (error) issues.push({ file: cube.file, member, message: `its SQL does not run against the warehouse: ${error}` });
      }
    }
    if (issues.length === before) issues.push({ file: cube.file, member: cube.name, message: `its members do not run together against the warehouse: ${together}` });
  }
  return issues;
}
