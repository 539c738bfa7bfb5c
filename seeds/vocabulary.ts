/**
 * Fixed vocabularies of the demo data: Japanese prefectures, names, tenants and campaign names.
 * Names read Japanese (the demo is a Japanese retailer's CRM); stored codes stay ASCII (region
 * keys, channels, tiers), and the model's `meta.values_ja` / `values_en` label them.
 */

/** [prefecture, region, weight ~ population in millions, name in store names]; weights decide where stores open. */
export const JAPAN_PREFECTURES: [string, string, number, string][] = [
  ['Hokkaido', 'Hokkaido', 5.1, '札幌'],
  ['Miyagi', 'Tohoku', 2.3, '仙台'],
  ['Fukushima', 'Tohoku', 1.8, '郡山'],
  ['Aomori', 'Tohoku', 1.2, '青森'],
  ['Tokyo', 'Kanto', 14.0, '東京'],
  ['Kanagawa', 'Kanto', 9.2, '横浜'],
  ['Saitama', 'Kanto', 7.3, '大宮'],
  ['Chiba', 'Kanto', 6.3, '千葉'],
  ['Ibaraki', 'Kanto', 2.8, '水戸'],
  ['Tochigi', 'Kanto', 1.9, '宇都宮'],
  ['Aichi', 'Chubu', 7.5, '名古屋'],
  ['Shizuoka', 'Chubu', 3.6, '静岡'],
  ['Niigata', 'Chubu', 2.2, '新潟'],
  ['Nagano', 'Chubu', 2.0, '長野'],
  ['Gifu', 'Chubu', 2.0, '岐阜'],
  ['Ishikawa', 'Chubu', 1.1, '金沢'],
  ['Osaka', 'Kinki', 8.8, '大阪'],
  ['Hyogo', 'Kinki', 5.4, '神戸'],
  ['Kyoto', 'Kinki', 2.6, '京都'],
  ['Shiga', 'Kinki', 1.4, '大津'],
  ['Nara', 'Kinki', 1.3, '奈良'],
  ['Hiroshima', 'Chugoku', 2.8, '広島'],
  ['Okayama', 'Chugoku', 1.9, '岡山'],
  ['Yamaguchi', 'Chugoku', 1.3, '下関'],
  ['Ehime', 'Shikoku', 1.3, '松山'],
  ['Kagawa', 'Shikoku', 0.9, '高松'],
  ['Kochi', 'Shikoku', 0.7, '高知'],
  ['Fukuoka', 'Kyushu', 5.1, '博多'],
  ['Kumamoto', 'Kyushu', 1.7, '熊本'],
  ['Kagoshima', 'Kyushu', 1.6, '鹿児島'],
  ['Nagasaki', 'Kyushu', 1.3, '長崎'],
  ['Okinawa', 'Kyushu', 1.5, '那覇'],
];

/** Kinds of store, cycled by store number: 駅前店, 中央店, モール店. */
export const STORE_KINDS = ['中央店', '駅前店', 'モール店'];
export const ONLINE_STORE_NAME = 'オンラインストア';

/** [family name, its romanization for email addresses]. */
export const FAMILY_NAMES: [string, string][] = [
  ['佐藤', 'Sato'],
  ['鈴木', 'Suzuki'],
  ['高橋', 'Takahashi'],
  ['田中', 'Tanaka'],
  ['渡辺', 'Watanabe'],
  ['伊藤', 'Ito'],
  ['山本', 'Yamamoto'],
  ['中村', 'Nakamura'],
  ['小林', 'Kobayashi'],
  ['加藤', 'Kato'],
  ['吉田', 'Yoshida'],
  ['山田', 'Yamada'],
  ['佐々木', 'Sasaki'],
  ['山口', 'Yamaguchi'],
  ['松本', 'Matsumoto'],
  ['井上', 'Inoue'],
  ['木村', 'Kimura'],
  ['林', 'Hayashi'],
  ['清水', 'Shimizu'],
  ['山崎', 'Yamazaki'],
  ['森', 'Mori'],
  ['阿部', 'Abe'],
  ['池田', 'Ikeda'],
  ['橋本', 'Hashimoto'],
  ['山下', 'Yamashita'],
  ['石川', 'Ishikawa'],
  ['中島', 'Nakajima'],
  ['前田', 'Maeda'],
  ['藤田', 'Fujita'],
  ['小川', 'Ogawa'],
];

/** [given name, its romanization, gender]. */
export const GIVEN_NAMES: [string, string, string][] = [
  ['結衣', 'Yui', 'female'],
  ['葵', 'Aoi', 'female'],
  ['陽菜', 'Hina', 'female'],
  ['さくら', 'Sakura', 'female'],
  ['芽依', 'Mei', 'female'],
  ['結菜', 'Yuna', 'female'],
  ['美咲', 'Misaki', 'female'],
  ['遥', 'Haruka', 'female'],
  ['直子', 'Naoko', 'female'],
  ['恵子', 'Keiko', 'female'],
  ['洋子', 'Yoko', 'female'],
  ['恵美', 'Emi', 'female'],
  ['明子', 'Akiko', 'female'],
  ['凛', 'Rin', 'female'],
  ['澪', 'Mio', 'female'],
  ['香織', 'Kaori', 'female'],
  ['陽翔', 'Haruto', 'male'],
  ['蒼太', 'Sota', 'male'],
  ['悠斗', 'Yuto', 'male'],
  ['蓮', 'Ren', 'male'],
  ['拓海', 'Takumi', 'male'],
  ['浩', 'Hiroshi', 'male'],
  ['健二', 'Kenji', 'male'],
  ['大輝', 'Daiki', 'male'],
  ['翔太', 'Shota', 'male'],
  ['武', 'Takeshi', 'male'],
  ['一輝', 'Kazuki', 'male'],
  ['光', 'Hikaru', 'other'],
];

/** Demo tenants, cycled when more are asked for. */
export const TENANT_PROFILES = [
  { index: 0, name: '青葉百貨店', format: 'department', fiscalYearStartMonth: 4 },
  { index: 1, name: 'さくらドラッグ', format: 'drugstore', fiscalYearStartMonth: 3 },
  { index: 2, name: 'かえでアパレル', format: 'apparel', fiscalYearStartMonth: 9 },
  { index: 3, name: 'みなとスーパー', format: 'supermarket', fiscalYearStartMonth: 3 },
];

/** Campaign names by objective (the month is appended): how a Japanese CRM team titles them. */
export const CAMPAIGN_NAMES: Record<'welcome' | 'reactivation' | 'cross_sell' | 'loyalty', string> = {
  welcome: 'はじめてのお買い物応援',
  reactivation: 'おひさしぶりクーポン',
  cross_sell: 'あわせ買いフェア',
  loyalty: '会員さま感謝デー',
};
