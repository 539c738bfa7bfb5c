import { formatValue } from '../ui/format';
import { useT } from '../ui/LangContext';
import type { ClvCheckState } from './useClvCheck';

/** The groups chart's figures as a table, a hidden figure as "< 10". */
export function ClvGroupsTable({ groupData, series, minGroupSize, heading }: Pick<ClvCheckState, 'groupData' | 'series' | 'minGroupSize'> & { heading: string }) {
  const { t, lang } = useT();
  return (
    <table className="mt-4 w-full text-tremor-default" data-testid="clv-groups">
      <thead>
        <tr>
          <th className="text-left text-tremor-content">{heading}</th>
          {groupData.map((g) => (
            <th key={g.x} className="text-right text-tremor-content">
              {g.x}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(['actual', 'model'] as const).map((kind) => (
          <tr key={kind}>
            <td className="py-1 font-medium">{series[kind]}</td>
            {groupData.map((g) => (
              <td key={g.x} className="py-1 text-right" data-testid={`clv-group-${kind}-${g.x}`} data-value={g[series[kind]] ?? ''}>
                {g[series[kind]] === null && minGroupSize ? t('state.suppressed', { n: minGroupSize }) : formatValue(g[series[kind]] as number | null, 'number', lang)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
