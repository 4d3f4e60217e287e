import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createPasswordReset } from '../../src/app/access/sessions.js';
import { writeMemberships } from '../../src/app/tiers/write-memberships.js';
import { describeWithBrowser, startFixtureApp, type RunningApp } from './browser.js';
import { DESKTOP, squash, useBrowserSuite } from './harness.js';

const PROGRAM = 'dell-emc-partner-program';
let programId = '';
let resetToken = '';

/** The fixture world, Bravo a Titanium partner of Dell's program (Titanium Black is drawn from Titanium). */
function startApp(): Promise<RunningApp> {
  return startFixtureApp({
    store: async (ctx) => {
      const ids = await ctx.store.db
        .selectFrom('programs')
        .select(['id', 'vendorId'])
        .where('code', '=', PROGRAM)
        .executeTakeFirstOrThrow();
      programId = ids.id;
      await ctx.store.db.transaction().execute((trx) =>
        writeMemberships(trx, {
          vendorId: ids.vendorId,
          programId: ids.id,
          statusCodes: new Set(['titanium-black']),
          tiers: ['authorized', 'gold', 'platinum', 'titanium'],
          partnerIds: ['ptn_bravo'],
          decide: () => [
            {
              id: 'mbr_write_bravo_ti',
              vendorId: ids.vendorId,
              programId: ids.id,
              partnerId: 'ptn_bravo',
              tierCode: 'titanium',
              validFrom: '2017-02-01',
              validTo: null,
              source: 'manual',
              reason: 'write screens',
              createdAt: '2017-02-01T00:00:00.000Z',
              grandfatheredUntil: null,
              sponsor: null,
              detail: '{}',
            },
          ],
        }),
      );
      resetToken = (await createPasswordReset(ctx, 'rep@alpha.test')).token;
    },
  });
}

/**
 * The screens of the API's writes that had none, in a real Chromium, as a vendor admin: a partner invited
 * to Titanium Black on the program page (the grant shown, then the status in the memberships), the tiers
 * re-evaluated (a job followed to its counts), a certification and a product added; a password set with a
 * reset token; then, in French, overdue offers lapsed and coverage rebuilt.
 */
describeWithBrowser('the write screens in Chromium', (executablePath) => {
  const suite = useBrowserSuite(executablePath, startApp);
  let page: Page;
  let pageErrors: string[];

  async function open(email: string, locale: 'en-US' | 'fr-FR') {
    ({ page, pageErrors } = await suite.open(email, {
      locale,
      viewport: locale === 'en-US' ? DESKTOP : undefined,
    }));
  }

  it('as admin@dell.test: a status granted, tiers re-evaluated, a certification and a product added', async () => {
    await open('admin@dell.test', 'en-US');

    // Invite Bravo to Titanium Black: the partner by name, the sponsor the status requires, the reason.
    await page.goto(`/programs/${encodeURIComponent(programId)}`);
    await page.getByRole('heading', { level: 2, name: 'Invite a partner to a status' }).waitFor();
    const form = page.getByRole('form', { name: 'Invite a partner to a status' });
    // A reason is asked for before anything is sent.
    await form.getByRole('button', { name: 'Grant the status' }).click();
    await form.getByText('Choose a partner.').waitFor();
    await form.getByRole('combobox', { name: 'Partner' }).fill('bravo');
    await page.getByRole('option', { name: /Bravo IT Solutions/ }).click();
    expect(await form.getByLabel('Status').inputValue()).toBe('titanium-black');
    await form.getByLabel('Executive sponsor').fill('EVP Channel');
    await form.getByLabel(/^Granted on/).fill('2017-12-05');
    await form.getByLabel('Reason').fill('Strategic storage partner');
    await form.getByRole('button', { name: 'Grant the status' }).click();
    await page.getByText(/^Titanium Black granted to ptn_bravo from 2017-12-05 until /).waitFor();
    // The memberships open on the day granted, Bravo holding the status.
    const held = page.locator('#memberships-body table tbody tr', { hasText: 'titanium-black' });
    await held.waitFor();
    expect(squash(await held.innerText())).toMatch(/ptn_bravo.*Titanium Black.*2017-12-05.*EVP Channel/);

    // Re-evaluate the tiers on a day: asked first, followed as a job, the partners moved counted.
    const evaluation = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Re-evaluate tiers' }),
    });
    await evaluation.getByLabel(/^As of/).fill('2017-12-01');
    await evaluation.getByRole('button', { name: 'Re-evaluate tiers' }).click();
    const ask = page.getByRole('alertdialog', { name: "Re-evaluate every enrolled partner's tier now?" });
    await ask.getByRole('button', { name: 'Re-evaluate tiers' }).click();
    await evaluation
      .getByText(
        /^\d+ partners? moved \(\d+ up, \d+ down, \d+ started\) out of \d+ evaluated as of 2017-12-01\./,
      )
      .waitFor({ timeout: 60_000 });

    // Record a certification: it appears in the list.
    await page.goto('/certifications');
    await page.getByRole('heading', { level: 1, name: 'Certifications' }).waitFor();
    const record = page.getByRole('form', { name: 'Record a certification' });
    await record.getByLabel('Person’s e-mail').fill('admin@bravo.test');
    await record.getByLabel('Certification code').fill('DELL-STOR-SAL');
    await record.getByLabel('Kind').selectOption('sales');
    await record.getByLabel('Product family').selectOption('storage');
    await record.getByLabel('Earned on').fill('2017-03-01');
    await record.getByLabel('Expires on').fill('2099-03-01');
    await record.getByRole('button', { name: 'Record' }).click();
    await page.getByText('Certification DELL-STOR-SAL recorded for admin@bravo.test.').waitFor();
    const cert = page.locator('table tbody tr', { hasText: 'DELL-STOR-SAL' });
    await cert.waitFor();
    expect(squash(await cert.innerText())).toMatch(/admin@bravo\.test.*Sales.*Storage/);

    // Add a product: the price typed as a person writes it; the new product listed.
    await page.goto('/products');
    const add = page.getByRole('form', { name: 'Add a product' });
    await add.getByLabel('SKU').fill('DELL-ME5012');
    await add.getByLabel('Name').fill('PowerVault ME5012');
    await add.getByLabel('Family').selectOption('storage');
    await add.getByLabel('List price').fill('12,500.00');
    await add.getByRole('button', { name: 'Add the product' }).click();
    await page.getByText('Product DELL-ME5012 added:').waitFor();
    const product = page.locator('table tbody tr', { hasText: 'DELL-ME5012' });
    await product.waitFor();
    expect(squash(await product.innerText())).toMatch(/PowerVault ME5012.*12,500\.00/);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('signed out: a new password set with a reset token, then used to sign in', async () => {
    const context = await suite.newContext();
    page = await context.newPage();
    await page.goto(`/reset-password?token=${encodeURIComponent(resetToken)}`);
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('a long new password 1');
    await page.getByLabel('New password again').fill('a long new password 2');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('The two passwords differ.').waitFor();
    await page.getByLabel('New password again').fill('a long new password 1');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('Your password is set.').waitFor();
    const res = await context.request.post('/api/auth/sign-in', {
      data: { email: 'rep@alpha.test', password: 'a long new password 1' },
    });
    expect(res.status()).toBe(200);
  }, 60_000);

  it('as admin@dell.test in French: overdue offers lapsed, coverage rebuilt', async () => {
    await open('admin@dell.test', 'fr-FR');
    await page.goto('/routing');
    const sweep = page.getByRole('button', { name: 'Faire échoir les offres en retard' });
    await sweep.click();
    const ask = page.getByRole('alertdialog', {
      name: 'Faire échoir maintenant chaque offre dont l’échéance est passée ?',
    });
    await ask.getByRole('button', { name: 'Faire échoir les offres en retard' }).click();
    await page.getByText(/^\d+ offres? échues?\.$/).waitFor();

    // Coverage rebuilt from the stored orders: asked first, followed as a job to its end.
    await page.goto('/coverage');
    await page.getByRole('button', { name: 'Recalculer la couverture' }).click();
    await page
      .getByRole('alertdialog', {
        name: 'Recalculer maintenant la couverture de chaque compte à partir des commandes enregistrées ?',
      })
      .getByRole('button', { name: 'Recalculer la couverture' })
      .click();
    await page.getByText('Couverture recalculée.').waitFor({ timeout: 60_000 });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
