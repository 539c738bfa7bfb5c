/**
 * The generic layout for a retailer's own POS or EC export: one line per order line, comma or
 * tab separated (told by the header line), UTF-8 with or without BOM or Shift_JIS.
 *
 * | column | required | meaning |
 * | customer_id | yes (may be empty) | the retailer's member number; empty: a non-member order |
 * | order_id | yes | receipt / order number; lines with the same order_id are one order |
 * | ordered_at | yes | `YYYY-MM-DD[ HH:MM[:SS]]` or with `/`, local time |
 * | amount | yes | the line's amount after discounts (`1234`, `1,234.5`, `¥1,234`) |
 * | channel | no | `store` (default), `ec`, `app` (also 店舗, EC, アプリ) |
 * | store | no | store code or name (default: one store) |
 * | product | no | product code (default: one "unspecified" product) |
 * | quantity | no | whole number (default 1) |
 *
 * `--columns customer_id=会員番号,order_id=伝票番号,ordered_at=購入日時,amount=金額` names the
 * file's own headers.
 */
import { badValue, IMPORTED, ImportError, rejected, type FormatOptions, type ImportFormat } from './format.js';
import { parseAmount, parseDateTime, parseQuantity, splitDelimited } from './fields.js';
import type { Channel } from './staging.js';

export const ORDERS_CSV_COLUMNS = ['customer_id', 'order_id', 'ordered_at', 'amount', 'channel', 'store', 'product', 'quantity'] as const;
type Column = (typeof ORDERS_CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['customer_id', 'order_id', 'ordered_at', 'amount'];
const CHANNELS: Record<string, Channel> = { store: 'store', ec: 'ec', app: 'app', 店舗: 'store', EC: 'ec', アプリ: 'app' };
const DEFAULT_STORE = 'default';
const DEFAULT_PRODUCT = 'unspecified';

export const ordersCsv: ImportFormat = {
  defaultTenantName: 'Imported orders',
  // A retailer's own POS or EC export: yen unless --currency says otherwise.
  currency: 'JPY',
  reader(options: FormatOptions) {
    let delimiter = ',';
    let width = 0;
    const index = new Map<Column, number>();
    return {
      split: (text) => splitDelimited(text, delimiter),
      header(fields) {
        // The header decides the delimiter: a tab in it means a tab-separated file.
        if (fields.length === 1 && fields[0].includes('\t')) {
          delimiter = '\t';
          fields = fields[0].split('\t');
        }
        const names = fields.map((f) => f.trim());
        width = names.length;
        for (const column of ORDERS_CSV_COLUMNS) {
          const at = names.indexOf(options.columns?.[column] ?? column);
          if (at >= 0) index.set(column, at);
        }
        const missing = REQUIRED.filter((c) => !index.has(c)).map((c) => (options.columns?.[c] ? `${c} (as "${options.columns[c]}")` : c));
        if (missing.length) {
          throw new ImportError(
            `Line 1 (the header) lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; it has ` +
              `"${names.join(',').slice(0, 200)}". orders-csv needs customer_id, order_id, ordered_at, amount, comma or tab separated ` +
              '(name your own headers with --columns customer_id=…,order_id=…).',
          );
        }
        return true;
      },
      row(fields, line, stage) {
        if (fields.length !== width) return rejected(`expected ${width} fields as in the header, got ${fields.length} (an unquoted ${delimiter === '\t' ? 'tab' : `"${delimiter}"`} in a value?)`);
        const value = (c: Column) => (index.has(c) ? fields[index.get(c)!].trim() : '');
        const orderKey = value('order_id');
        if (!orderKey) return rejected('order_id is empty');
        const orderedAt = parseDateTime(value('ordered_at'));
        if (orderedAt === null) return rejected(badValue('ordered_at', value('ordered_at'), 'a date-time (YYYY-MM-DD HH:MM[:SS])'));
        const amount = parseAmount(value('amount'));
        if (amount === null) return rejected(badValue('amount', value('amount'), 'a number between ±1,000,000,000,000'));
        // hasOwn: a value such as "constructor" is not a channel (it would find Object.prototype's).
        const channel = value('channel') === '' ? 'store' : Object.hasOwn(CHANNELS, value('channel')) ? CHANNELS[value('channel')] : undefined;
        if (!channel) return rejected(badValue('channel', value('channel'), 'store, ec or app'));
        const quantity = value('quantity') === '' ? 1 : parseQuantity(value('quantity'));
        if (quantity === null) return rejected(badValue('quantity', value('quantity'), 'a whole number between ±1,000,000'));
        const storeKey = value('store') || DEFAULT_STORE;
        const productKey = value('product') || DEFAULT_PRODUCT;
        const unitPrice = quantity !== 0 ? Math.round((amount / quantity) * 100) / 100 : amount;
        stage.store(storeKey, { name: storeKey === DEFAULT_STORE ? 'Imported store' : storeKey, prefecture: 'unknown', region: 'unknown', format: channel === 'store' ? 'department' : 'ec' });
        stage.product(productKey, { category: 'unknown', subcategory: 'unknown', brand: 'unknown', unitPrice });
        stage.orderLine({ line, orderKey, customerKey: value('customer_id') || null, orderedAt, channel, storeKey, productKey, quantity, unitPrice, amount });
        return IMPORTED;
      },
    };
  },
};
