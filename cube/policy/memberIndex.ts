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
        info.members.set(m.name, { name: m.name, kind, pii: m.meta?.pii === true, role, type: m.type, category: m.meta?.category === true, snapshot });
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
