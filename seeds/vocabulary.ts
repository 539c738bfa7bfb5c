/** Fixed vocabularies of the demo data: Japanese prefectures, names, and the demo tenants. */

/** [prefecture, region, weight ~ population in millions]; weights decide where stores open. */
export const JAPAN_PREFECTURES: [string, string, number][] = [
  ['Hokkaido', 'Hokkaido', 5.1], ['Miyagi', 'Tohoku', 2.3], ['Fukushima', 'Tohoku', 1.8], ['Aomori', 'Tohoku', 1.2],
  ['Tokyo', 'Kanto', 14.0], ['Kanagawa', 'Kanto', 9.2], ['Saitama', 'Kanto', 7.3], ['Chiba', 'Kanto', 6.3], ['Ibaraki', 'Kanto', 2.8], ['Tochigi', 'Kanto', 1.9],
  ['Aichi', 'Chubu', 7.5], ['Shizuoka', 'Chubu', 3.6], ['Niigata', 'Chubu', 2.2], ['Nagano', 'Chubu', 2.0], ['Gifu', 'Chubu', 2.0], ['Ishikawa', 'Chubu', 1.1],
  ['Osaka', 'Kinki', 8.8], ['Hyogo', 'Kinki', 5.4], ['Kyoto', 'Kinki', 2.6], ['Shiga', 'Kinki', 1.4], ['Nara', 'Kinki', 1.3],
  ['Hiroshima', 'Chugoku', 2.8], ['Okayama', 'Chugoku', 1.9], ['Yamaguchi', 'Chugoku', 1.3],
  ['Ehime', 'Shikoku', 1.3], ['Kagawa', 'Shikoku', 0.9], ['Kochi', 'Shikoku', 0.7],
  ['Fukuoka', 'Kyushu', 5.1], ['Kumamoto', 'Kyushu', 1.7], ['Kagoshima', 'Kyushu', 1.6], ['Nagasaki', 'Kyushu', 1.3], ['Okinawa', 'Kyushu', 1.5],
];

export const FAMILY_NAMES = [
  'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
  'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu', 'Yamazaki',
  'Mori', 'Abe', 'Ikeda', 'Hashimoto', 'Yamashita', 'Ishikawa', 'Nakajima', 'Maeda', 'Fujita', 'Ogawa',
];

/** [given name, gender]. */
export const GIVEN_NAMES: [string, string][] = [
  ['Yui', 'female'], ['Aoi', 'female'], ['Hina', 'female'], ['Sakura', 'female'], ['Mei', 'female'], ['Yuna', 'female'],
  ['Misaki', 'female'], ['Haruka', 'female'], ['Naoko', 'female'], ['Keiko', 'female'], ['Yoko', 'female'], ['Emi', 'female'],
  ['Akiko', 'female'], ['Rin', 'female'], ['Mio', 'female'], ['Kaori', 'female'],
  ['Haruto', 'male'], ['Sota', 'male'], ['Yuto', 'male'], ['Ren', 'male'], ['Takumi', 'male'], ['Hiroshi', 'male'],
  ['Kenji', 'male'], ['Daiki', 'male'], ['Shota', 'male'], ['Takeshi', 'male'], ['Kazuki', 'male'],
  ['Hikaru', 'other'],
];

/** Demo tenants, cycled when more are asked for. */
export const TENANT_PROFILES = [
  { index: 0, name: 'Aoba Department Store', format: 'department' },
  { index: 1, name: 'Sakura Drug', format: 'drugstore' },
  { index: 2, name: 'Kaede Apparel', format: 'apparel' },
  { index: 3, name: 'Minato Supermarket', format: 'supermarket' },
];
