import type { CatalogMember } from '../data/catalog';

/** A measure's name in the current language: its KPI's label, else a translated label, else the model's title. */
export function measureLabel(member: CatalogMember, t: (key: string) => string): string {
  for (const key of [member.kpi && `kpi.${member.kpi}`, `measure.${member.name.split('.')[1]}`]) {
    if (key && t(key) !== key) return t(key);
  }
  return member.shortTitle;
}
