import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser, startFixtureApp, type RunningApp } from './browser.js';
import { axeViolations, DESKTOP, offScreen, squash, useBrowserSuite } from './harness.js';

/** The fixture world with one certification Dell granted to Alpha's admin. */
function startApp(): Promise<RunningApp> {
  return startFixtureApp({
    api: async (admin) => {
      const r = await admin('POST', '/api/certifications', {
        certifications: [
          {
            email: 'admin@alpha.test',
            code: 'DELL-STOR-TEC',
            kind: 'technical',
            family: 'storage',
            earnedOn: '2017-03-01',
            expiresOn: '2099-03-01',
          },
        ],
      });
      if (r.status !== 201) throw new Error(`certification: ${r.status} ${r.text}`);
    },
  });
}

const ORDERS_HEADER =
  'source,external_id,order_date,currency,customer_id,channel,reseller_id,product_id,quantity,unit_price';

/**
 * The administration screens in a real Chromium: a vendor admin creates an API token (its secret shown
 * once) and revokes it, reads both actions in the audit trail, imports orders (a refused file, its
 * problems by line, then a good one), lists certifications; then one page in French.
 */
describeWithBrowser('the administration screens in Chromium', (executablePath) => {
  const suite = useBrowserSuite(executablePath, startApp);
  let page: Page;
  let pageErrors: string[];

  async function open(email: string, locale: 'en-US' | 'fr-FR', bypassCSP = false) {
    ({ page, pageErrors } = await suite.open(email, {
      locale,
      viewport: locale === 'en-US' && !bypassCSP ? DESKTOP : undefined,
      // axe goes in as an inline script, which the app's Content-Security-Policy refuses.
      bypassCSP,
      path: '/',
    }));
  }

  it('as admin@dell.test: a token created and revoked, the audit trail, an orders import, certifications', async () => {
    await open('admin@dell.test', 'en-US');
    const nav = page.locator('#site-nav-list');
    for (const href of ['/tokens', '/audit', '/imports', '/certifications'])
      await nav.locator(`a[href="${href}"]`).waitFor({ state: 'attached' });

    // A token: the secret shown once, then gone; revoked after a confirmation.
    await page.goto('/tokens');
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByLabel('Name').fill('Nightly ERP');
    await page.getByLabel('Post and import orders').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Token “Nightly ERP” created' }).waitFor();
    const secret = await page.locator('#token-secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await page.getByText('it is shown only once').count()).toBe(1);
    const row = page.locator('table tbody tr', { hasText: 'Nightly ERP' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('Active');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('#token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await row.getByRole('button', { name: 'Revoke the token Nightly ERP' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke the token “Nightly ERP”?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('The token “Nightly ERP” is revoked.').waitFor();
    await expect.poll(async () => squash(await row.innerText())).toContain('Revoked');

    // The audit trail: both actions, by name, the creation's detail readable.
    await page.goto('/audit?targetType=api-token');
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    const created = page.locator('table tbody tr', { hasText: 'token.create' });
    await created.waitFor();
    expect(squash(await created.innerText())).toContain('admin');
    await page.locator('table tbody tr', { hasText: 'token.revoke' }).waitFor();
    await created.getByRole('button', { name: /^Show token\.create/ }).click();
    await expect
      .poll(async () => squash(await page.locator('.audit-detail').innerText()))
      .toContain('Nightly ERP');
    const csv = page.getByRole('link', { name: 'Export CSV' });
    expect(await csv.getAttribute('href')).toContain('format=csv');

    // An import: a refused file names its problem by line and column; a good one shows its counts.
    await page.goto('/imports');
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    await page.getByRole('heading', { name: 'Columns of the file' }).waitFor();
    const paste = page.getByLabel('Or paste the CSV');
    await paste.fill(
      `${ORDERS_HEADER}\nerp,ADM-1,2017-03-10,USD,cus_acme,partner,ptn_alpha,prd_stor,0,30000.00\n`,
    );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(squash(await refused.innerText())).toMatch(/row 2.*quantity/);
    await paste.fill(
      `${ORDERS_HEADER}\nerp,ADM-1,2017-03-10,USD,cus_acme,partner,ptn_alpha,prd_stor,2,30000.00\n`,
    );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.locator('.import-result');
    await result.waitFor();
    const summary = squash(await result.innerText());
    expect(summary).toContain('Every order accepted');
    expect(summary).toMatch(/Orders created 1\b/);
    expect(summary).toMatch(/Lines created 1\b/);

    // Certifications: the one granted, with its days left.
    await page.goto('/certifications');
    await page.getByRole('heading', { level: 1, name: 'Certifications' }).waitFor();
    const cert = page.locator('table tbody tr', { hasText: 'DELL-STOR-TEC' });
    await cert.waitFor();
    expect(squash(await cert.innerText())).toMatch(/admin@alpha\.test.*Technical.*Storage.*[\d,]+ days left/);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('as admin@dell.test in French at 390 px: the certifications, the page within the screen', async () => {
    await open('admin@dell.test', 'fr-FR');
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto('/certifications');
    await page.getByRole('heading', { level: 1, name: 'Certifications' }).waitFor();
    const cert = page.locator('table tbody tr', { hasText: 'DELL-STOR-TEC' });
    await cert.waitFor();
    expect(squash(await cert.innerText())).toMatch(/Technique.*Stockage.*01\/03\/2017.*jours restants/);
    await page.getByRole('columnheader', { name: /Temps restant/ }).waitFor({ state: 'attached' });
    // The page's own content stays within the phone's width; wide tables scroll inside their region.
    const overflowing = await offScreen(page);
    expect(overflowing).toEqual([]);
    // The other pages too stay within the screen at 390 px.
    for (const [path, heading] of [
      ['/tokens', 'Jetons d’API'],
      ['/imports', 'Importer'],
      ['/audit', 'Journal d’audit'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('main .loading').first().waitFor({ state: 'detached' });
      expect(await offScreen(page), path).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('as admin@dell.test: no serious or critical axe violation on the four pages', async () => {
    await open('admin@dell.test', 'en-US', true);
    const failures: string[] = [];
    const check = async (what: string) => {
      for (const v of await axeViolations(page)) failures.push(`${what}: ${v}`);
    };
    await page.goto('/tokens');
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByLabel('Name').fill('Axe');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-secret').waitFor();
    await check('/tokens');
    await page.goto('/audit');
    await page.locator('table tbody tr').first().waitFor();
    await page.locator('table tbody tr').first().getByRole('button', { name: /^Show/ }).click();
    await page.locator('.audit-detail').waitFor();
    await check('/audit');
    await page.goto('/imports');
    await page.getByRole('heading', { name: 'Columns of the file' }).waitFor();
    await check('/imports');
    await page.goto('/certifications');
    await page.locator('table tbody tr').first().waitFor();
    await check('/certifications');
    expect(failures).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('as admin@alpha.test: deal registrations imported as drafts, each linked to its page', async () => {
    await open('admin@alpha.test', 'en-US');
    await page.goto('/imports');
    await page.getByRole('heading', { level: 2, name: 'Import deal registrations' }).waitFor();
    // Alpha registers deals but posts no orders: the one kind it may import, no choice offered.
    expect(await page.getByRole('radio').count()).toBe(0);
    const close = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    await page
      .getByLabel('Or paste the CSV')
      .fill(
        'external_ref,program,customer_name,customer_country,customer_segment,currency,expected_close_date,description,family,amount\n' +
          `OPP-ADM-1,dell-emc-partner-program,Globex UK Ltd,GB,commercial,USD,${close},Storage refresh,storage,25000.00\n`,
      );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.locator('.import-result');
    await result.waitFor();
    expect(squash(await result.innerText())).toMatch(/Registered now 1 Drafts 1\b/);
    const row = result.locator('table tbody tr', { hasText: 'OPP-ADM-1' });
    expect(squash(await row.innerText())).toContain('Draft');
    expect(await row.getByRole('link').getAttribute('href')).toMatch(/^\/deals\/deal_/);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
