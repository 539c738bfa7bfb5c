import type { ReactNode } from 'react';
import type { CubeQueryState } from '../data/useCubeQuery';
import { ErrorCallout } from './ErrorCallout';
import type { MessageKey } from './i18n';
import { useT } from './LangContext';

/** A grey placeholder of the content's size while it loads: the page keeps its shape, and never reads "no data" before data came. */
export function Skeleton({ className = 'h-48', testId }: { className?: string; testId?: string }) {
  const { t } = useT();
  return <div className={`mt-4 animate-pulse rounded-tremor-default bg-tremor-background-subtle ${className}`} aria-busy="true" aria-label={t('state.loading')} data-testid={testId ?? 'skeleton'} />;
}

/** Why there is nothing to show (no orders in the period, no member matches the filters, nothing chosen yet), never a bare "no data". */
export function EmptyState({ reason }: { reason: MessageKey }) {
  const { t } = useT();
  // A plain <p>: Tremor's Text drops data-testid.
  return (
    <p className="mt-4 text-tremor-default text-tremor-content-subtle" data-testid="empty-state">
      {t(reason)}
    </p>
  );
}

/**
 * One owner of a query's loading, error and empty states (the shape of Evidence's QueryLoad):
 * the content renders only with rows to show, so charts never flash their own "No data".
 */
export function QueryLoad({
  state,
  empty,
  emptyReason,
  skeleton,
  children,
}: {
  state: Pick<CubeQueryState, 'isLoading' | 'error' | 'resultSet'>;
  /** Whether the loaded result has nothing to show. */
  empty: boolean;
  emptyReason: MessageKey;
  /** The skeleton's size (Tailwind classes), like the content's. */
  skeleton?: string;
  children: ReactNode;
}) {
  if (state.error) return <ErrorCallout error={state.error} />;
  if (state.isLoading) return <Skeleton className={skeleton} />;
  if (!state.resultSet || empty) return <EmptyState reason={emptyReason} />;
  return <>{children}</>;
}
