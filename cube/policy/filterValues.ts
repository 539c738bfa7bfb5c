import type { MemberIndex } from './memberIndex.js';
import type { Filter } from './queryMembers.js';

/** Operators whose values are compared with the member itself (not text searches, not date ranges). */
const COMPARED = new Set(['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte']);

/** A decimal number as people type it ("42", "-3.5", "1e3"): what a number member can be compared with. */
const NUMBER = /^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/**
 * The first value of a comparison on a number member that is not a number, as a message naming
 * member and value, else null. Without this the warehouse fails the cast ("Conversion Error")
 * and the client only learns that some value did not fit (a member number typed as "abc").
 */
export function nonNumericFilterValue(filters: Filter[] | undefined, index: MemberIndex): string | null {
  for (const f of filters ?? []) {
    const nested = nonNumericFilterValue(f.and, index) ?? nonNumericFilterValue(f.or, index);
    if (nested) return nested;
    const name = f.member ?? f.dimension;
    if (!name || !COMPARED.has(f.operator ?? '')) continue;
    const member = index.get(name.split('.')[0])?.members.get(name);
    const numeric = member?.type === 'number' || (member?.kind === 'measure' && !['string', 'time', 'boolean'].includes(member.type ?? ''));
    const bad = numeric ? (f.values ?? []).find((v) => typeof v !== 'string' || !NUMBER.test(v) || !Number.isFinite(Number(v))) : undefined;
    if (bad !== undefined) return `${name} is a number; the filter value ${JSON.stringify(bad)} is not.`;
  }
  return null;
}
