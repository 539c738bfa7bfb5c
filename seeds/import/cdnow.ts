/**
 * CDNOW (Fader, Hardie & Lee 2005), whitespace-separated: the master file
 * `customer_id date number_of_cds dollar_value` (with or without its header line) or the 1/10
 * sample `customer_id sample_id date number_of_cds dollar_value`. Dates are `YYYYMMDD`. Each
 * line is one order of one "CD" product line in CDNOW's online store (EC); the customer key is
 * the master customer number. Same-day orders stay separate orders here; the CLV fit counts
 * purchase days, as the paper does.
 */
import { badValue, IMPORTED, ImportError, rejected, type ImportFormat } from './format.js';
import { parseAmount, parseCompactDate, parseQuantity, parseWholeNumber } from './fields.js';

const STORE = 'online';
const PRODUCT = 'CD';

export const cdnow: ImportFormat = {
  defaultTenantName: 'CDNOW',
  currency: 'USD',
  reader: () => ({
    split: (text) => text.trim().split(/\s+/),
    header(fields) {
      if (/^\d+$/.test(fields[0] ?? '')) return false;
      if (fields.join(' ') !== 'customer_id date number_of_cds dollar_value') {
        throw new ImportError(`Line 1 is neither CDNOW data nor its header "customer_id date number_of_cds dollar_value": "${fields.join(' ').slice(0, 120)}".`);
      }
      return true;
    },
    row(fields, line, stage) {
      if (fields.length !== 4 && fields.length !== 5) return rejected(`expected 4 fields (customer, date, CDs, dollars) or 5 (with the sample id), got ${fields.length}`);
      const [customerText, dateText, cdsText, dollarsText] = fields.length === 4 ? fields : [fields[0], fields[2], fields[3], fields[4]];
      const customer = parseWholeNumber(customerText);
      if (customer === null || customer < 0) return rejected(badValue('customer_id', customerText, 'a customer number'));
      const orderedAt = parseCompactDate(dateText);
      if (orderedAt === null) return rejected(badValue('date', dateText, 'a date (YYYYMMDD)'));
      const quantity = parseQuantity(cdsText);
      if (quantity === null || quantity < 0) return rejected(badValue('number_of_cds', cdsText, 'a whole number from 0 to 1,000,000'));
      const amount = parseAmount(dollarsText);
      if (amount === null || amount < 0) return rejected(badValue('dollar_value', dollarsText, 'an amount ≥ 0 and under 1,000,000,000,000'));
      const unitPrice = quantity > 0 ? Math.round((amount / quantity) * 100) / 100 : amount;
      stage.store(STORE, { name: 'CDNOW online store', prefecture: 'unknown', region: 'unknown', format: 'ec' });
      stage.product(PRODUCT, { category: 'music', subcategory: 'CD', brand: 'unknown', unitPrice });
      stage.orderLine({ line, orderKey: String(line), customerKey: String(customer), orderedAt, channel: 'ec', storeKey: STORE, productKey: PRODUCT, quantity, unitPrice, amount });
      return IMPORTED;
    },
  }),
};
