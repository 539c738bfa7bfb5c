/**
 * Hillstrom's MineThatData e-mail test (2008; 64,000 customers, one per line):
 * `recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend`.
 * The file has no dates; the campaign is placed on a nominal date (CAMPAIGN_START) and
 * everything else relative to it:
 * - each line is a customer (source key: the data row number); zip_code (Urban, Suburban,
 *   Rural; the source's "Surburban" is corrected) is the region; newbie = 1 means a member since
 *   the last purchase, newbie = 0 a member since a year before the campaign;
 * - the past year's purchases (`history` dollars, last one `recency` months before the campaign)
 *   are one order on that day; channel Web → ec, Phone and Multichannel → store;
 * - the two e-mail arms are two campaigns (Mens E-Mail, Womens E-Mail) with a 14-day
 *   attribution window; the No E-Mail arm is the control group of both;
 * - a conversion is one order, of `spend` dollars, the day after the e-mail (inside the window).
 * `visit` has no place in the warehouse and is not imported.
 */
import { addDays, addMonths, parseAmount, parseWholeNumber, splitDelimited } from './fields.js';
import { badValue, IMPORTED, rejected, requireHeader, type ImportFormat } from './format.js';
import type { Channel } from './staging.js';

const HEADER = ['recency', 'history_segment', 'history', 'mens', 'womens', 'zip_code', 'newbie', 'channel', 'segment', 'visit', 'conversion', 'spend'] as const;
/** Nominal: the data set gives none (the challenge was published on 2008-03-20). */
export const CAMPAIGN_START = '2008-03-01 09:00:00';
export const ATTRIBUTION_DAYS = 14;
const ZIP_REGIONS: Record<string, string> = { Urban: 'Urban', Suburban: 'Suburban', Surburban: 'Suburban', Rural: 'Rural' };
const CHANNELS: Record<string, Channel> = { Web: 'ec', Phone: 'store', Multichannel: 'store' };
const ARMS: Record<string, string | null> = { 'Mens E-Mail': 'mens', 'Womens E-Mail': 'womens', 'No E-Mail': null };
const CAMPAIGNS = { mens: 'Mens E-Mail (Hillstrom)', womens: 'Womens E-Mail (Hillstrom)' } as const;
const PRODUCT = 'merchandise';

const flag = (text: string) => (text === '0' || text === '1' ? text === '1' : null);

export const hillstrom: ImportFormat = {
  defaultTenantName: 'MineThatData e-mail test (Hillstrom)',
  currency: 'USD',
  reader: () => ({
    split: (text) => splitDelimited(text, ','),
    header(fields) {
      requireHeader('Hillstrom', fields, HEADER);
      return true;
    },
    row(fields, line, stage) {
      if (fields.length !== HEADER.length) return rejected(`expected ${HEADER.length} fields, got ${fields.length}`);
      const [recencyText, , historyText, , , zipText, newbieText, channelText, segmentText, , conversionText, spendText] = fields.map((f) => f.trim());
      const recency = parseWholeNumber(recencyText);
      if (recency === null || recency < 1 || recency > 12) return rejected(badValue('recency', recencyText, 'a number of months from 1 to 12'));
      const history = parseAmount(historyText);
      if (history === null || history < 0) return rejected(badValue('history', historyText, 'an amount ≥ 0 and under 1,000,000,000,000'));
      // hasOwn: a value such as "constructor" names no entry (it would find Object.prototype's).
      const region = Object.hasOwn(ZIP_REGIONS, zipText) ? ZIP_REGIONS[zipText] : undefined;
      if (!region) return rejected(badValue('zip_code', zipText, 'Urban, Suburban or Rural'));
      const newbie = flag(newbieText);
      if (newbie === null) return rejected(badValue('newbie', newbieText, '0 or 1'));
      const channel = Object.hasOwn(CHANNELS, channelText) ? CHANNELS[channelText] : undefined;
      if (!channel) return rejected(badValue('channel', channelText, 'Web, Phone or Multichannel'));
      if (!Object.hasOwn(ARMS, segmentText)) return rejected(badValue('segment', segmentText, 'Mens E-Mail, Womens E-Mail or No E-Mail'));
      const converted = flag(conversionText);
      if (converted === null) return rejected(badValue('conversion', conversionText, '0 or 1'));
      const spend = parseAmount(spendText);
      if (spend === null || spend < 0) return rejected(badValue('spend', spendText, 'an amount ≥ 0 and under 1,000,000,000,000'));

      const customerKey = String(line - 1);
      const lastPurchase = addMonths(CAMPAIGN_START, -recency).replace(/ .*/, ' 12:00:00');
      const storeKey = channel === 'ec' ? 'web' : 'phone';
      stage.store('web', { name: 'Web store', prefecture: 'unknown', region: 'unknown', format: 'ec' });
      stage.store('phone', { name: 'Phone orders', prefecture: 'unknown', region: 'unknown', format: 'department' });
      stage.product(PRODUCT, { category: 'merchandise', subcategory: 'merchandise', brand: 'unknown', unitPrice: 0 });
      stage.customer(customerKey, { signupDate: newbie ? lastPurchase.slice(0, 10) : addMonths(CAMPAIGN_START, -12).slice(0, 10), signupChannel: channel, region });
      const order = (orderKey: string, orderedAt: string, amount: number) =>
        stage.orderLine({ line, orderKey, customerKey, orderedAt, channel, storeKey, productKey: PRODUCT, quantity: 1, unitPrice: amount, amount });
      order(`history-${customerKey}`, lastPurchase, history);
      if (converted) order(`conversion-${customerKey}`, addDays(CAMPAIGN_START, 1), spend);
      const arm = ARMS[segmentText];
      for (const campaignKey of arm ? [arm] : Object.keys(CAMPAIGNS)) {
        stage.member({ campaignKey, customerKey, group: arm ? 'treatment' : 'control', assignedAt: CAMPAIGN_START, sentAt: arm ? CAMPAIGN_START : null });
      }
      return IMPORTED;
    },
    finish(stage) {
      for (const [key, name] of Object.entries(CAMPAIGNS)) {
        stage.campaign(key, {
          name,
          channel: 'email',
          objective: 'cross_sell',
          startDate: CAMPAIGN_START.slice(0, 10),
          endDate: addDays(CAMPAIGN_START, ATTRIBUTION_DAYS - 1).slice(0, 10),
          attributionDays: ATTRIBUTION_DAYS,
        });
      }
    },
  }),
};
