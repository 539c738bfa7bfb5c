/** Japanese and English text of the whole app, and locale-aware formatting. */
export type Lang = 'ja' | 'en';
export const LANGS: Lang[] = ['ja', 'en'];

const ja = {
  appName: 'リテールCRM分析',
  'nav.board': 'KPIボード',
  'nav.explore': '探索',
  'nav.signOut': 'ログアウト',
  'board.title': 'KGI / KPI ボード',
  'board.period': '期間',
  'board.tenant': 'テナント',
  'board.allTenants': 'すべてのテナント',
  'board.vsPrevious': '前期比',
  'board.target': '目標達成率',
  'board.revenueByMonth': '月別売上（チャネル別）',
  'board.revenueByChannel': 'チャネル別売上',
  'board.revenueByRegion': '地域別売上',
  'board.kpiTree': 'KGI→KPI ツリー',
  'board.monthly': '月次推移',
  'board.month': '月',
  'board.revenueByTenant': 'テナント別売上',
  'board.notInModel': 'モデルに未定義',
  'period.month': '月',
  'period.quarter': '四半期',
  'period.year': '年',
  'period.custom': 'カスタム',
  'kpi.revenue': '売上',
  'kpi.orders': '注文数',
  'kpi.aov': '平均注文額',
  'kpi.active_customers': 'アクティブ顧客',
  'kpi.new_customers': '新規顧客',
  'kpi.repeat_rate': 'リピート率',
  'kpi.returning_customer_rate': 'リターン顧客率',
  'kpi.f2_conversion_90d': 'F2転換率 (90日)',
  'kpi.dormant_customers': '休眠顧客',
  'kpi.churn_rate': '離反率',
  'kpi.historical_ltv': 'LTV (実績)',
  'kpi.orders_per_customer': '顧客あたり注文数',
  'kpi.segment_size': '人数',
  'measure.member_aov': '平均注文額',
  'measure.frequency': '平均購入回数',
  'channel.store': '店舗',
  'channel.ec': 'EC',
  'channel.app': 'アプリ',
  'region.Hokkaido': '北海道',
  'region.Tohoku': '東北',
  'region.Kanto': '関東',
  'region.Chubu': '中部',
  'region.Kinki': '近畿',
  'region.Chugoku': '中国',
  'region.Shikoku': '四国',
  'region.Kyushu': '九州',
  'state.loading': '読み込み中…',
  'state.waiting': '集計中…（{stage}）',
  'state.empty': 'この条件のデータはありません。',
  'state.suppressed': '< {n}',
  'error.title': 'データを取得できませんでした',
  'error.auth': 'セッションの有効期限が切れました。もう一度ログインしてください。',
  'error.forbidden': 'この情報を見る権限がありません。',
  'error.query': 'クエリが正しくありません：',
  'error.server': 'サーバーでエラーが発生しました。しばらくしてから再度お試しください。',
  'error.network': 'サーバーに接続できません。ネットワークを確認してください。',
  'login.title': 'ログイン',
  'login.username': 'ユーザー名',
  'login.password': 'パスワード',
  'login.submit': 'ログイン',
  'login.demo': 'デモ管理者として続行（ローカルのみ）',
  'login.failed': 'ユーザー名またはパスワードが違います。',
  'export.csv': 'CSV出力',
  'nav.cohorts': 'コホート',
  'nav.segments': 'セグメント',
  'nav.campaigns': 'キャンペーン',
  'nav.customer': '顧客360',
  'cohorts.title': 'コホート分析',
  'cohorts.retention': '継続率',
  'cohorts.revenue_retention': '売上継続率',
  'cohorts.cumulative_ltv': '累積LTV',
  'cohorts.cohort': '初回購入月',
  'cohorts.offset': '経過月数',
  'cohorts.members': '人数',
  'cohorts.slice': '絞り込み',
  'cohorts.all': 'すべて',
  'cohorts.loadingExtract': '顧客データを読み込み中',
  'cohorts.sliced': 'ブラウザ内で再計算（DuckDB-WASM）',
  'cohorts.drill': '{cohort} コホート・{k}か月目に購入した顧客',
  'cohorts.customers': '顧客',
  'dim.signup_channel': '登録チャネル',
  'dim.region': '地域',
  'dim.tier': 'ランク',
  'dim.age_band': '年代',
  'dim.gender': '性別',
  'dim.rfm_segment': 'RFMセグメント',
  'table.customer_id': '顧客ID',
  'table.name': '氏名',
  'table.email': 'メール',
  'table.phone': '電話',
  'table.order_count': '注文数',
  'table.lifetime_revenue': '累計売上',
  'table.prev': '前へ',
  'table.next': '次へ',
  'table.page': '{from}–{to} / {total}',
};

type Key = keyof typeof ja;

const en: Record<Key, string> = {
  appName: 'Retail CRM Analytics',
  'nav.board': 'KPI board',
  'nav.explore': 'Explore',
  'nav.signOut': 'Sign out',
  'board.title': 'KGI / KPI board',
  'board.period': 'Period',
  'board.tenant': 'Tenant',
  'board.allTenants': 'All tenants',
  'board.vsPrevious': 'vs previous',
  'board.target': 'Target attainment',
  'board.revenueByMonth': 'Revenue by month and channel',
  'board.revenueByChannel': 'Revenue by channel',
  'board.revenueByRegion': 'Revenue by region',
  'board.kpiTree': 'KGI → KPI tree',
  'board.monthly': 'Monthly trend',
  'board.month': 'Month',
  'board.revenueByTenant': 'Revenue by tenant',
  'board.notInModel': 'Not defined in the model',
  'period.month': 'Month',
  'period.quarter': 'Quarter',
  'period.year': 'Year',
  'period.custom': 'Custom',
  'kpi.revenue': 'Revenue',
  'kpi.orders': 'Orders',
  'kpi.aov': 'Average order value',
  'kpi.active_customers': 'Active customers',
  'kpi.new_customers': 'New customers',
  'kpi.repeat_rate': 'Repeat rate',
  'kpi.returning_customer_rate': 'Returning customer rate',
  'kpi.f2_conversion_90d': 'F2 conversion (90 d)',
  'kpi.dormant_customers': 'Dormant customers',
  'kpi.churn_rate': 'Churn rate',
  'kpi.historical_ltv': 'Historical LTV',
  'kpi.orders_per_customer': 'Orders per customer',
  'kpi.segment_size': 'Members',
  'measure.member_aov': 'Average order value',
  'measure.frequency': 'Orders per buyer',
  'channel.store': 'Store',
  'channel.ec': 'EC',
  'channel.app': 'App',
  'region.Hokkaido': 'Hokkaido',
  'region.Tohoku': 'Tohoku',
  'region.Kanto': 'Kanto',
  'region.Chubu': 'Chubu',
  'region.Kinki': 'Kinki',
  'region.Chugoku': 'Chugoku',
  'region.Shikoku': 'Shikoku',
  'region.Kyushu': 'Kyushu',
  'state.loading': 'Loading…',
  'state.waiting': 'Computing… ({stage})',
  'state.empty': 'No data for this selection.',
  'state.suppressed': '< {n}',
  'error.title': 'Could not load the data',
  'error.auth': 'Your session has expired. Please sign in again.',
  'error.forbidden': 'You are not allowed to see this information.',
  'error.query': 'The query is not valid: ',
  'error.server': 'The server ran into an error. Please try again in a moment.',
  'error.network': 'Cannot reach the server. Check your network.',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.demo': 'Continue as the demo admin (local only)',
  'login.failed': 'Wrong username or password.',
  'export.csv': 'Export CSV',
  'nav.cohorts': 'Cohorts',
  'nav.segments': 'Segments',
  'nav.campaigns': 'Campaigns',
  'nav.customer': 'Customer 360',
  'cohorts.title': 'Cohort analysis',
  'cohorts.retention': 'Retention',
  'cohorts.revenue_retention': 'Revenue retention',
  'cohorts.cumulative_ltv': 'Cumulative LTV',
  'cohorts.cohort': 'First-order month',
  'cohorts.offset': 'Months since',
  'cohorts.members': 'Members',
  'cohorts.slice': 'Slice',
  'cohorts.all': 'All',
  'cohorts.loadingExtract': 'Loading customer data',
  'cohorts.sliced': 'Recomputed in the browser (DuckDB-WASM)',
  'cohorts.drill': 'Customers of the {cohort} cohort who ordered in month {k}',
  'cohorts.customers': 'Customers',
  'dim.signup_channel': 'Signup channel',
  'dim.region': 'Region',
  'dim.tier': 'Tier',
  'dim.age_band': 'Age band',
  'dim.gender': 'Gender',
  'dim.rfm_segment': 'RFM segment',
  'table.customer_id': 'Customer',
  'table.name': 'Name',
  'table.email': 'Email',
  'table.phone': 'Phone',
  'table.order_count': 'Orders',
  'table.lifetime_revenue': 'Lifetime revenue',
  'table.prev': 'Previous',
  'table.next': 'Next',
  'table.page': '{from}–{to} of {total}',
};

const dictionaries: Record<Lang, Record<Key, string>> = { ja, en };

export type MessageKey = Key;

/** A data value's label (a channel, a region…) in the language, or the value itself when the dictionary does not know it. */
export function valueLabel(lang: Lang, kind: string, value: string): string {
  const key = `${kind}.${value}`;
  return key in dictionaries[lang] ? (dictionaries[lang] as Record<string, string>)[key] : value;
}

export function translate(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const text = (dictionaries[lang] as Record<string, string>)[key] ?? (dictionaries.en as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

const LOCALES: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };

export type ValueFormat = 'currency' | 'percent' | 'number';

/** Formats a model value by the measure's `meta.format`; JPY for money. */
export function formatValue(value: number | null | undefined, format: ValueFormat, lang: Lang, options: { compact?: boolean } = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const locale = LOCALES[lang];
  const compact = options.compact && Math.abs(value) >= 10_000 ? { notation: 'compact' as const, maximumFractionDigits: 1 } : {};
  if (format === 'currency') return new Intl.NumberFormat(locale, { style: 'currency', currency: 'JPY', maximumFractionDigits: 0, ...compact }).format(value);
  if (format === 'percent') return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0, ...compact }).format(value);
}

export function formatMonth(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

export function formatDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}
