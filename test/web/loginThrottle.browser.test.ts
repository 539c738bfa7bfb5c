import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../cube/auth/passwords.js';
import { FIXTURE_MODEL, EVENTS_SQL } from '../cube/fixtures.js';
import { launchChromium } from '../support/browser.js';
import { createDuckDBFile, tempDir } from '../support/duckdbFile.js';
import { loginFrom } from '../support/loginFrom.js';
import { productFilesIn, startProduct, type RunningProduct } from '../support/product.js';

// Issue 19, item 10, as a user sees it: the sign-in form says in Japanese how long the login
// throttle asks to wait (it showed the server's English message), and the account's owner
// elsewhere still signs in.
const tmp = tempDir();
let browser: Browser;
let product: RunningProduct;

beforeAll(async () => {
  const file = path.join(tmp.dir, 'w.duckdb');
  await createDuckDBFile(file, EVENTS_SQL);
  // productFilesIn points CRM_USERS_FILE here.
  writeFileSync(path.join(tmp.dir, 'users.json'), JSON.stringify([{ username: 'mika', role: 'marketer', tenant_id: 't01', password_hash: await hashPassword('correct horse') }]));
  product = await startProduct({ CRM_WAREHOUSE: file, CRM_MODEL_PATH: FIXTURE_MODEL, ...productFilesIn(tmp.dir), CRM_DEMO_TOKEN: 'off' });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await product?.stop();
  tmp.remove();
});

describe('the sign-in form under the login throttle', { timeout: 120_000 }, () => {
  it('says in Japanese to wait 15 minutes after five wrong passwords, while the owner signs in from elsewhere', async () => {
    const page = await browser.newPage();
    await page.goto(`${product.url}/board?lang=ja`);
    const attempt = async (password: string) => {
      await page.getByPlaceholder('ユーザー名').fill('mika');
      await page.getByPlaceholder('パスワード').fill(password);
      await page.getByRole('button', { name: 'ログイン' }).click();
    };
    for (let i = 0; i < 5; i++) {
      await attempt(`guess ${i}`);
      await page.getByText('ユーザー名またはパスワードが違います。').waitFor();
    }
    await attempt('guess 5');
    await page.getByText('ログインの失敗が続いたため受け付けを止めています。15分後にもう一度お試しください。').waitFor();
    // The browser signs in from 127.0.0.1; the owner, from another address, is not refused.
    expect((await loginFrom(product.url, 'mika', 'correct horse', '127.0.0.2')).status).toBe(200);
    await page.close();
  });
});
