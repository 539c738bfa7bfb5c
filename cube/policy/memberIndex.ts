/** What the access policy needs to know about each member, read from Cube's compiled meta. */
export interface MemberInfo {
  name: string;
  kind: 'measure' | 'dimension' | 'segment';
  pii: boolean;
  role?: string;
  /** Cube's member type: `string`, `number`, `time`, `boolean` for dimensions; `count`, `sum`… for measures. */
  type?: string;
  /** `meta.category`: a number or date that names a category (a score, a month offset), not a person. */
  category: boolean;
  /** `meta.snapshot` (`month`): a measure taken once per month, or the time dimension it is taken at (see snapshots.ts). */
  snapshot?: string;
  /** A measure whose value is a number of distinct customers (`meta.role: customer_count` or `meta.distinct_customers`). */
  countsCustomers: boolean;
  /**
   * `meta.contributors` of a measure: the distinct-customer counts (members of the same cube or
   * view, as full names) that measure the customers contributing to this figure; an empty list
   * declares a figure no customer contributes to (a plan target). Undefined when not declared.
   */
  contributors?: string[];
  /**
   * `meta.distinct_within` of a count: it counts each customer once only within one value of one
   * of these dimensions (full names; a cohort's members per month offset count a member once per
   * month), so it says how many customers a figure draws on only when the query fixes one.
   */
  distinctWithin?: string[];
  /** `meta.running_over` of a measure: it is a running total along this dimension (full name), each figure adding one step to the last. */
  runningOver?: string;
  /**
   * `meta.digest` of a distinct-customer count: the measure (full name) summing a hash of each
   * contributing member number, which seeds the count's noisy threshold (noisyThreshold.ts).
   */
  digest?: string;
  /** A digest measure (`meta.role: customer_digest`): for the policy only, never asked for or listed to a client. */
  isDigest: boolean;
  /** `meta.event` of a dimension: it describes one of a member's events (an order, a month, an assignment), not the member. */
  event: boolean;
  /** `meta.format` of a measure (`currency`, `number`, `percent`): how the UI writes it, so how much noise it hides (stickyNoise.ts). */
  format?: string;
  /** Cube's aggregation of a measure (`count`, `countDistinct`, `sum`, `avg`, `number`…): whether its figures are whole counts. */
  aggregation?: string;
}

export interface CubeInfo {
  name: string;
  /** Views are public; cubes are the model's internals (`public: false`). */
  visible: boolean;
  board: boolean;
  members: Map<string, MemberInfo>;
  /** The measure counting distinct customers (`meta.role: customer_count`), for suppression. */
  customerCount?: string;
  /** The dimension identifying one customer (`meta.role: customer`): a query on it lists people. */
  customerKey?: string;
}

export type MemberIndex = Map<string, CubeInfo>;

interface MetaMember {
  name: string;
  type?: string;
  aggType?: string;
  meta?: Record<string, unknown>;
}
interface MetaCube {
  config: { name: string; isVisible?: boolean; meta?: Record<string, unknown>; measures?: MetaMember[]; dimensions?: MetaMember[]; segments?: MetaMember[] };
}

export function buildMemberIndex(cubes: MetaCube[]): MemberIndex {
  const index: MemberIndex = new Map();
  for (const { config } of cubes) {
    const info: CubeInfo = { name: config.name, visible: config.isVisible !== false, board: config.meta?.board === true, members: new Map() };
    const add = (kind: MemberInfo['kind'], members: MetaMember[] = []) => {
      for (const m of members) {
        const role = typeof m.meta?.role === 'string' ? m.meta.role : undefined;
        const snapshot = typeof m.meta?.snapshot === 'string' ? m.meta.snapshot : undefined;
        const declared = m.meta?.contributors;
        info.members.set(m.name, {
          name: m.name,
          kind,
          pii: m.meta?.pii === true,
          role,
          type: m.type,
          category: m.meta?.category === true,
          snapshot,
          countsCustomers: kind === 'measure' && (role === 'customer_count' || m.meta?.distinct_customers === true),
          contributors: Array.isArray(declared) ? declared.map((c) => `${config.name}.${String(c)}`) : undefined,
          distinctWithin: Array.isArray(m.meta?.distinct_within) ? m.meta.distinct_within.map((d) => `${config.name}.${String(d)}`) : undefined,
          runningOver: typeof m.meta?.running_over === 'string' ? `${config.name}.${m.meta.running_over}` : undefined,
          digest: typeof m.meta?.digest === 'string' ? `${config.name}.${m.meta.digest}` : undefined,
          isDigest: kind === 'measure' && role === 'customer_digest',
          event: m.meta?.event === true,
          format: typeof m.meta?.format === 'string' ? m.meta.format : undefined,
          aggregation: m.aggType,
        });
        if (kind === 'measure' && role === 'customer_count') info.customerCount ??= m.name;
        if (kind === 'dimension' && role === 'customer') info.customerKey ??= m.name;
      }
    };
    add('measure', config.measures);
    add('dimension', config.dimensions);
    add('segment', config.segments);
    index.set(config.name, info);
  }
  return index;
}

/**
 * The distinct-customer counts that decide whether a measure's figure may be shown: those it
 * declares (`meta.contributors`), else itself when it counts customers, else its view's
 * customer count. Null when none applies (the model check refuses such a measure).
 */
export function contributorsOf(measure: string, index: MemberIndex): string[] | null {
  const cube = index.get(measure.split('.')[0]);
  const info = cube?.members.get(measure);
  if (!cube || !info) return null;
  if (info.contributors) return info.contributors;
  if (info.countsCustomers) return [measure];
  return cube.customerCount ? [cube.customerCount] : null;
}

/** The digest measure of a distinct-customer count, when the model declares one and the count's view includes it. */
export function digestOf(count: string, index: MemberIndex): string | undefined {
  const cube = index.get(count.split('.')[0]);
  const digest = cube?.members.get(count)?.digest;
  return digest && cube?.members.get(digest)?.isDigest ? digest : undefined;
}
