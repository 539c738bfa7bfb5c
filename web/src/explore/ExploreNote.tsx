import type { ReactNode } from 'react';

/** A line saying how the result was read or cut (Tremor's Text drops data-* attributes, which tests find notes by). */
export function ExploreNote({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p className="mt-2 text-tremor-default text-tremor-content" data-testid={testId}>
      {children}
    </p>
  );
}
