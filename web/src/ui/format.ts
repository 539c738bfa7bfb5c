import { translate, type Lang } from './i18n';

/**
 * The one place where figures and dates become text, so that a value reads the same on every
 * page (tile, tree, table, chart axis, export preview). Intl formatters are built once per
 * language and reused: building one per cell cost the cohort heat-map ~237 ms per slice.
 */
export type ValueFormat = 'currency' | 'percent' | 'number';

const LOCALES: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };

/** Money and counts below this are written in full; from it on, in 万/億 (ja) or K/M/B (en). */
const FULL_BELOW = 100_000;

/** The yen sign, half-width in both languages (ja-JP's CLDR ￥ is full-width and breaks tabular columns). */
const YEN = '¥';

/** The currency a tenant's money is in when nothing says otherwise (the demo's, and the warehouse default). */
export const DEFAULT_CURRENCY = 'JPY';

function perLang<T>(build: (locale: string) => T): (lang: Lang) => T {
  const built = new Map<Lang, T>();
  return (lang) => {
    let made = built.get(lang);
    if (made === undefined) {
      made = build(LOCALES[lang]);
      built.set(lang, made);
    }
    return made;
  };
}

// roundingMode / roundingPriority are ES2023 Intl options (Node 20, Chromium ≥ 106); the
// project's TypeScript lib is ES2022, hence the assertions.
const whole = perLang((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 }));
const twoDecimals = perLang((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 2 }));
const percent = perLang((l) => new Intl.NumberFormat(l, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }));
const signedPercent = perLang((l) => new Intl.NumberFormat(l, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }));
/** 万 amounts (10 to 9,999.99…): four significant digits, cut rather than rounded up, so 9,999.9万 never reads 1億. */
const fourDigits = perLang((l) => new Intl.NumberFormat(l, { maximumSignificantDigits: 4, roundingMode: 'trunc' } as Intl.NumberFormatOptions));
/** K/M/B with one decimal, or three significant digits where that says more (¥1.23M, ¥73.2M, ¥215.3M). */
const englishCompact = perLang(
  (l) =>
    new Intl.NumberFormat(l, {
      notation: 'compact',
      maximumFractionDigits: 1,
      maximumSignificantDigits: 3,
      roundingPriority: 'morePrecision',
      roundingMode: 'trunc',
    } as Intl.NumberFormatOptions),
);

/** What a currency writes before and after the amount, per language: $ / £ / NT$ before, 元 before in ja. */
interface Affixes {
  prefix: string;
  suffix: string;
}
const NUMBER_PART = new Set(['integer', 'group', 'decimal', 'fraction']);
const affixesBuilt = new Map<string, Affixes>();

/** Read once per language and currency from Intl's own currency format, then reused for every value. */
function currencyAffixes(lang: Lang, currency: string): Affixes {
  if (currency === DEFAULT_CURRENCY) return { prefix: YEN, suffix: '' };
  const key = `${lang}:${currency}`;
  let made = affixesBuilt.get(key);
  if (made === undefined) {
    const parts = new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency }).formatToParts(1);
    const first = parts.findIndex((p) => NUMBER_PART.has(p.type));
    const last = parts.length - 1 - [...parts].reverse().findIndex((p) => NUMBER_PART.has(p.type));
    const text = (from: number, to: number) =>
      parts
        .slice(from, to)
        .map((p) => p.value)
        .join('');
    made = { prefix: text(0, first), suffix: text(last + 1, parts.length) };
    affixesBuilt.set(key, made);
  }
  return made;
}

/** A large magnitude in Japanese units: 7,323万, 2億1,530万 (at least four significant digits, grouped). */
function japaneseUnits(abs: number): string {
  if (abs < 100_000_000) return `${fourDigits('ja').format(abs / 10_000)}万`;
  const oku = Math.floor(abs / 100_000_000);
  const man = Math.floor((abs % 100_000_000) / 10_000);
  return `${whole('ja').format(oku)}億${man ? `${whole('ja').format(man)}万` : ''}`;
}

/** How a magnitude is written: by its own size (from FULL_BELOW on in units), or as its column or axis is. */
type Scale = 'auto' | 'full' | 'units';

/**
 * Money (whole units, no decimals) or a count, grouped, switching to units from FULL_BELOW on
 * (`scale` 'auto'), or always in full or always in units.
 * `affixes` are the currency's signs; none for a count or for money of several currencies.
 */
function magnitude(value: number, lang: Lang, money: boolean, affixes: Affixes = { prefix: '', suffix: '' }, scale: Scale = 'auto'): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const { prefix, suffix } = affixes;
  if (scale === 'full' || (scale === 'auto' && abs < FULL_BELOW)) {
    const digits = money || abs >= 10 ? whole(lang) : twoDecimals(lang);
    return `${sign}${prefix}${digits.format(abs)}${suffix}`;
  }
  return `${sign}${prefix}${lang === 'ja' ? japaneseUnits(abs) : englishCompact(lang).format(abs)}${suffix}`;
}

/**
 * A model value by its measure's `meta.format`; '–' when there is none. Money is written in
 * `currency` (an ISO 4217 code, the tenant's `tenants.currency`): ¥10,350 / ¥7,323万 for yen,
 * £12,345 / $1.23M / $7,323万 for others, the same magnitude rule in each; null when the figure
 * adds up several currencies, which then has no sign (the page says the figures mix currencies).
 */
export function formatValue(value: number | null | undefined, format: ValueFormat, lang: Lang, currency: string | null = DEFAULT_CURRENCY, scale: Scale = 'auto'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (format === 'percent') return percent(lang).format(value);
  const money = format === 'currency';
  return magnitude(value, lang, money, money && currency !== null ? currencyAffixes(lang, currency) : undefined, scale);
}

/** Up to this, a table column is written in full (¥73,235,000 / ¥999,999); from it on, every cell in units. */
const COLUMN_IN_FULL_BELOW: Record<Lang, number> = { ja: 100_000_000, en: 1_000_000 };

/**
 * One format for a whole table column, chosen by its largest value: in full while that is under
 * 1億 (ja) or 1M (en), so ¥219,300 stands above ¥37,730 (not ¥21.93万 beside ¥37,730); past it
 * every cell in 万/億 or K/M/B (¥2億1,530万 above ¥3.773万). Rates as formatValue writes them.
 */
export function columnFormatter(values: (number | null | undefined)[], format: ValueFormat, lang: Lang, currency: string | null = DEFAULT_CURRENCY): (value: number | null | undefined) => string {
  const largest = Math.max(0, ...values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map(Math.abs));
  const scale: Scale = largest < COLUMN_IN_FULL_BELOW[lang] ? 'full' : 'units';
  return (value) => formatValue(value, format, lang, currency, scale);
}

const signedPoints = perLang((l) => new Intl.NumberFormat(l, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }));
/**
 * Percentage points: "pt" as Japanese financial statements and dashboards write 前年差 in tables
 * and badges (+3.4pt, shorter than +3.4ポイント in a tile's badge), "pt" after a space in English.
 */
const POINTS: Record<Lang, string> = { ja: 'pt', en: ' pt' };

/**
 * A change with its sign, as its measure compares (see changeBetween): a rate (`format`
 * 'percent') in percentage points from a difference of ratios (0.0336 → +3.4pt), anything else
 * as a relative change (0.25 → +25.0%); '–' when there is none.
 */
export function formatChange(value: number | null | undefined, lang: Lang, format: ValueFormat = 'number'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return format === 'percent' ? `${signedPoints(lang).format(value * 100)}${POINTS[lang]}` : signedPercent(lang).format(value);
}

/** The units an axis may be written in, largest first (ja 億/万, en B/M/K). */
const AXIS_UNITS: Record<Lang, [number, string][]> = {
  ja: [
    [100_000_000, '億'],
    [10_000, '万'],
  ],
  en: [
    [1_000_000_000, 'B'],
    [1_000_000, 'M'],
    [1_000, 'K'],
  ],
};
const axisNumber = perLang((l) => new Intl.NumberFormat(l, { maximumFractionDigits: 2 }));

/**
 * A chart axis's labels: one unit for every tick, chosen by the largest value the axis shows
 * (¥0 / ¥0.5億 / ¥1億 / ¥1.5億, not ¥5,000万 beside ¥1億5,000万), short enough for the axis
 * (¥1.4億, where the tile writes ¥1億4,000万: Tremor's axis cut that to "億500万"). Rates and
 * small amounts read as formatValue writes them.
 */
export function axisFormatter(largest: number, format: ValueFormat, lang: Lang, currency: string | null = DEFAULT_CURRENCY): (value: number) => string {
  const unit = format === 'percent' || Math.abs(largest) < FULL_BELOW ? undefined : AXIS_UNITS[lang].find(([size]) => Math.abs(largest) >= size);
  if (!unit) return (value) => formatValue(value, format, lang, currency);
  const { prefix, suffix } = format === 'currency' && currency !== null ? currencyAffixes(lang, currency) : { prefix: '', suffix: '' };
  const [size, name] = unit;
  return (value) => (value === 0 ? `${prefix}0${suffix}` : `${value < 0 ? '-' : ''}${prefix}${axisNumber(lang).format(Math.abs(value) / size)}${name}${suffix}`);
}

/**
 * The top tick of an axis whose largest value is `largest`, as Recharts (under Tremor) rounds it:
 * five ticks whose step is 1, 2, 2.5 or 5 times a power of ten. Its unit is the axis's: data up
 * to ¥9,542万 draw a ¥1億 tick, which must read ¥1億 beside ¥0.75億, not ¥10,000万.
 */
function topTick(largest: number): number {
  if (largest <= 0) return 0;
  const rough = largest / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= rough)!;
  return Math.ceil(largest / step) * step;
}

/**
 * What a Tremor chart's y-axis needs for `values` (the largest a tick may reach; for a stacked
 * chart, the stacks' totals): its label formatter and a width that holds its longest label
 * (Tremor's default 56 px cut ¥1億2,000万 to "2,000万"). About 8 px a character, full-width
 * 億/万 counting double, and room for a tick's two decimals (¥1.25億) and a minus sign.
 */
export function chartAxis(values: number[], format: ValueFormat, lang: Lang, currency: string | null = DEFAULT_CURRENCY): { valueFormatter: (value: number) => string; yAxisWidth: number } {
  const largest = topTick(Math.max(0, ...values.filter(Number.isFinite).map(Math.abs)));
  const valueFormatter = axisFormatter(largest, format, lang, currency);
  const chars = [...valueFormatter(largest)].reduce((w, c) => w + (c.charCodeAt(0) > 0xff ? 2 : 1), 0) + 4;
  return { valueFormatter, yAxisWidth: Math.max(56, chars * 8) };
}

/** A Cube cell as a number: Cube sends decimals as strings, and no value as null (or ''). */
export function toNumber(value: unknown): number | null {
  return value === null || value === undefined || value === '' ? null : Number(value);
}

const utcDay = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
const dayFormat = perLang((l) => new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }));
const monthFormat = perLang((l) => new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', timeZone: 'UTC' }));
const yearFormat = perLang((l) => new Intl.DateTimeFormat(l, { year: 'numeric', timeZone: 'UTC' }));
const monthDay = perLang((l) => new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric', timeZone: 'UTC' }));
const dayOnly = perLang((l) => new Intl.DateTimeFormat(l, { day: 'numeric', timeZone: 'UTC' }));
const RANGE: Record<Lang, string> = { ja: '～', en: ' – ' };

/** 2026年10月 / Oct 2026, from an ISO date or timestamp (its calendar day, whatever the machine's zone). */
export function formatMonth(iso: string, lang: Lang): string {
  return monthFormat(lang).format(utcDay(iso));
}

/** 2026年10月31日 / Oct 31, 2026. */
export function formatDate(iso: string, lang: Lang): string {
  return dayFormat(lang).format(utcDay(iso));
}

/** 10月31日 / Oct 31: a day within a period already dated (the last day with data under the period's header). */
export function formatMonthDay(iso: string, lang: Lang): string {
  return monthDay(lang).format(utcDay(iso));
}

/**
 * An inclusive range of days, without repeating what its ends share: 2026年10月1日～31日 /
 * Oct 1 – 31, 2026. Composed here: ICU's interval formats differ between Node and Chromium
 * (thin or plain spaces) and fall back to 2026/10/01～2026/10/31 in Japanese.
 */
export function formatPeriod(start: string, end: string, lang: Lang): string {
  const from = utcDay(start);
  const to = utcDay(end);
  if (from.getTime() === to.getTime()) return formatDate(start, lang);
  if (from.getUTCFullYear() !== to.getUTCFullYear()) return `${formatDate(start, lang)}${RANGE[lang]}${formatDate(end, lang)}`;
  const endText = (from.getUTCMonth() === to.getUTCMonth() ? dayOnly : monthDay)(lang).format(to);
  return lang === 'ja' ? `${formatDate(start, lang)}${RANGE[lang]}${endText}` : `${monthDay(lang).format(from)}${RANGE[lang]}${endText}, ${from.getUTCFullYear()}`;
}

/** A time dimension's bucket at its granularity: 2026年 / 2026年 第4四半期 / 2026年10月 / 2026年10月5日. */
export function formatTime(iso: string, granularity: string, lang: Lang): string {
  if (granularity === 'year') return yearFormat(lang).format(utcDay(iso));
  if (granularity === 'quarter') return translate(lang, 'format.quarter', { year: iso.slice(0, 4), q: Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1 });
  if (granularity === 'month') return formatMonth(iso, lang);
  return formatDate(iso, lang);
}
