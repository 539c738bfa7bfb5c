import { Callout } from '@tremor/react';
import type { ReadableError } from '../data/cubeApi';
import { useT } from './LangContext';

export function ErrorCallout({ error }: { error: ReadableError }) {
  const { t } = useT();
  return (
    <Callout title={t('error.title')} color="rose" className="mt-2">
      {t(error.key)}
      {error.key === 'error.query' || error.key === 'error.forbidden' || error.key === 'error.server' ? ` ${error.detail ?? ''}` : ''}
    </Callout>
  );
}
