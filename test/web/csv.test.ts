import { describe, expect, it } from 'vitest';
import { toCsv } from '../../web/src/ui/csv.js';

// Issue 19, item 8: every CSV export of the web app goes through toCsv (ExportButton and the
// contact lists call downloadCsv). A cell whose text starts with = + - @, a tab or a carriage
// return was written as is, so a store or tenant name typed by a tenant's admin became a live
// formula in the all-tenant admin's spreadsheet. Expected texts written out by hand from
// RFC 4180 (quote a cell holding " , CR or LF; double its quotes) and OWASP's CSV-injection
// advice (a leading ' for text that would start a formula; numbers untouched).
const BOM = '\uFEFF';

describe('toCsv', () => {
  it('neutralises the attacker strings of the issue with a leading quote', () => {
    const rows = [
      { name: '=HYPERLINK("http://evil","x")', revenue: 120 },
      { name: '@SUM(1+1)', revenue: 80 },
      { name: "+cmd|'/C calc'!A0", revenue: 40 },
      { name: '-2+3', revenue: 10 },
    ];
    expect(toCsv(rows)).toBe(`${BOM}name,revenue\r\n` + `"'=HYPERLINK(""http://evil"",""x"")",120\r\n` + `'@SUM(1+1),80\r\n` + `'+cmd|'/C calc'!A0,40\r\n` + `'-2+3,10\r\n`);
  });

  it('neutralises a tab or carriage return first, and the full-width ＝＋－＠', () => {
    const rows = [{ v: '\t=1+1' }, { v: '\r=1+1' }, { v: '＝1+1' }, { v: '＋1' }, { v: '－1' }, { v: '＠A1' }];
    expect(toCsv(rows)).toBe(`${BOM}v\r\n'\t=1+1\r\n"'\r=1+1"\r\n'＝1+1\r\n'＋1\r\n'－1\r\n'＠A1\r\n`);
  });

  it('keeps numbers as numbers, negative ones and the strings Cube sends included', () => {
    const rows = [{ n: -3.2 }, { n: '-3.2' }, { n: '-1250' }, { n: '+5' }, { n: '-.5' }, { n: '-1e-7' }, { n: 0 }, { n: null }];
    expect(toCsv(rows)).toBe(`${BOM}n\r\n-3.2\r\n-3.2\r\n-1250\r\n+5\r\n-.5\r\n-1e-7\r\n0\r\n\r\n`);
  });

  it('keeps a signed percentage as an export writes a change (Excel reads +33.0% as 0.33), and neutralises one in points', () => {
    // Issue 20 item 5: 前年比 exported as shown. "+3.4pt" is no number to a spreadsheet, so it keeps the leading quote.
    expect(toCsv([{ yoy: '+33.0%' }, { yoy: '-4.5%' }, { yoy: '+3.4pt' }, { yoy: '+1+1%' }])).toBe(`${BOM}yoy\r\n+33.0%\r\n-4.5%\r\n'+3.4pt\r\n'+1+1%\r\n`);
  });

  it('leaves other text alone, quoting only what RFC 4180 asks for', () => {
    const rows = [{ name: 'Shibuya, Tokyo', note: 'say "hi"', plain: '渋谷店 a=b', date: '2024-01-31' }];
    expect(toCsv(rows)).toBe(`${BOM}name,note,plain,date\r\n"Shibuya, Tokyo","say ""hi""",渋谷店 a=b,2024-01-31\r\n`);
  });

  it('neutralises the column names too', () => {
    expect(toCsv([{ '=1+1': 'x' }])).toBe(`${BOM}'=1+1\r\nx\r\n`);
  });
});
