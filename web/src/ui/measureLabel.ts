import type { CatalogMember, CatalogView } from '../data/catalog';
import type { Lang } from './i18n';

/**
 * Names and values of model members in the user's language, from the model's own `meta`
 * (`title_ja`/`title_en`, `values_ja`/`values_en`): a measure an analyst adds is named in
 * Japanese by its YAML, with no web change. Cube's title is the fallback for a member the
 * model does not name yet.
 */
export function memberLabel(member: CatalogMember | CatalogView, lang: Lang): string {
  return member.titles[lang] ?? member.titles.en ?? ('shortTitle' in member ? member.shortTitle : member.title);
}

/** A stored value (champions, Kanto, store, true…) as the user reads it; names and ids as stored. */
export function valueLabel(member: CatalogMember | undefined, value: unknown, lang: Lang): string {
  const stored = String(value);
  if (!member || member.verbatim) return stored;
  return member.values[lang][stored] ?? member.values.en[stored] ?? stored;
}
