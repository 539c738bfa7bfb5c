import { describe, expect, it } from 'vitest';
import { contributorIssues } from '../../cube/modelCheck.js';
import { buildMemberIndex } from '../../cube/policy/memberIndex.js';

// model:check's rule for noisy thresholds (cube/policy/noisyThreshold.ts): a view that includes a
// count declaring `meta.digest` includes that digest too, or the count is judged by the exact
// minimum there, silently. Two views of one hand-written cube: one with the digest, one without.
const count = { name: 'segment_size', aggType: 'count', meta: { role: 'customer_count', digest: 'segment_size_digest' } };
const digest = { name: 'segment_size_digest', aggType: 'sum', meta: { role: 'customer_digest' } };
const view = (name: string, measures: { name: string; aggType: string; meta: Record<string, unknown> }[]) => ({
  config: { name, measures: measures.map((m) => ({ ...m, name: `${name}.${m.name}` })) },
});

describe('model:check and digests', () => {
  it('names the count whose view leaves its digest out, and nothing in the view that has it', () => {
    const index = buildMemberIndex([view('with_digest', [count, digest]), view('without_digest', [count])]);
    const files = new Map([
      ['with_digest', 'views/with_digest.yml'],
      ['without_digest', 'views/without_digest.yml'],
    ]);
    expect(contributorIssues(index, files)).toEqual([
      {
        file: 'views/without_digest.yml',
        member: 'without_digest.segment_size',
        message: 'meta.digest names without_digest.segment_size_digest, which is not a meta.role: customer_digest measure of without_digest: include it beside the count',
      },
    ]);
  });
});
