/**
 * UCI Online Retail (Chen 2015; 541,909 lines, 2010-12 to 2011-12), as CSV:
 * `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country`.
 * An invoice is an order of the EC channel; a missing CustomerID makes it a non-member order;
 * each country is an online "store" whose region is the country, so revenue by region is
 * revenue by country and a customer's region is the country of their first order.
 * Cancellation invoices (`C…`) and lines with quantity or unit price ≤ 0 (stock adjustments,
 * free items, bad-debt adjustments) are skipped, counted by reason: the file does not link a
 * cancellation to the invoice it cancels, so netting them would be guesswork.
 */
import { badValue, IMPORTED, rejected, requireHeader, skipped, type ImportFormat } from './format.js';
import { MAX_AMOUNT, parseAmount, parseDateTime, parseQuantity, parseWholeNumber, splitDelimited } from './fields.js';

const HEADER = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'] as const;

export const onlineRetail: ImportFormat = {
  defaultTenantName: 'Online Retail (UCI)',
  currency: 'GBP',
  reader: () => ({
    split: (text) => splitDelimited(text, ','),
    header(fields) {
      requireHeader('Online Retail', fields, HEADER);
      return true;
    },
    row(fields, line, stage) {
      if (fields.length !== HEADER.length) return rejected(`expected ${HEADER.length} fields, got ${fields.length}`);
      const [invoice, stockCode, description, quantityText, dateText, priceText, customerText, countryText] = fields.map((f) => f.trim());
      if (!invoice) return rejected('InvoiceNo is empty');
      if (!stockCode) return rejected('StockCode is empty');
      const quantity = parseQuantity(quantityText);
      if (quantity === null) return rejected(badValue('Quantity', quantityText, 'a whole number between ±1,000,000'));
      const orderedAt = parseDateTime(dateText);
      if (orderedAt === null) return rejected(badValue('InvoiceDate', dateText, 'a date-time (YYYY-MM-DD HH:MM[:SS])'));
      const unitPrice = parseAmount(priceText);
      if (unitPrice === null) return rejected(badValue('UnitPrice', priceText, 'a number between ±1,000,000,000,000'));
      if (Math.abs(quantity * unitPrice) >= MAX_AMOUNT) return rejected(`Quantity × UnitPrice is ${quantity * unitPrice}; a line's amount must be under 1,000,000,000,000`);
      const customer = customerText === '' ? null : parseWholeNumber(customerText);
      if (customer === null && customerText !== '') return rejected(badValue('CustomerID', customerText, 'a customer number'));
      if (!countryText) return rejected('Country is empty');
      if (invoice.startsWith('C')) return skipped('cancellation invoice (InvoiceNo C…)');
      if (quantity <= 0) return skipped('quantity ≤ 0 (stock adjustment)');
      if (unitPrice <= 0) return skipped('unit price ≤ 0 (free item or bad-debt adjustment)');
      stage.store(countryText, { name: `Online store (${countryText})`, prefecture: countryText, region: countryText, format: 'ec' });
      stage.product(stockCode, { category: 'unknown', subcategory: description || 'unknown', brand: 'unknown', unitPrice });
      stage.orderLine({
        line,
        orderKey: invoice,
        customerKey: customer === null ? null : String(customer),
        orderedAt,
        channel: 'ec',
        storeKey: countryText,
        productKey: stockCode,
        quantity,
        unitPrice,
        amount: Math.round(quantity * unitPrice * 100) / 100,
      });
      return IMPORTED;
    },
  }),
};
