import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser, startFixtureApp } from './browser.js';
import { axeViolations, DESKTOP, offScreen, squash, useBrowserSuite } from './harness.js';

/**
 * The vendor's Exchange rates page in a real Chromium: an admin pastes a rate file and reads its counts,
 * sees a bad file refused row by row, lists the rates and checks a conversion (a cross through EUR); the
 * page in French, with no serious axe violation, fitting a phone; a partner has no entry for it.
 */
describeWithBrowser('exchange rates in Chromium', (executablePath) => {
  const suite = useBrowserSuite(executablePath, () => startFixtureApp());
  let page: Page;
  let pageErrors: string[];

  const uploadCard = () => page.locator('section[aria-labelledby="rates-upload-title"]');
  const convertCard = () => page.locator('section[aria-labelledby="rates-convert-title"]');

  it('an admin loads a file, sees a bad one refused by line, lists the rates and converts', async () => {
    ({ page, pageErrors } = await suite.open('admin@dell.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.locator('#site-nav-list a[href="/exchange-rates"]').click();
    await page.getByRole('heading', { level: 1, name: 'Exchange rates' }).waitFor();
    await page
      .getByLabel('Or paste its text')
      .fill('base,quote,day,rate\nEUR,USD,2026-03-03,1.0698\nEUR,GBP,2026-03-03,0.8571');
    await page.getByRole('button', { name: 'Load the rates' }).click();
    await uploadCard().getByText('2 added, 0 unchanged, 0 replaced').waitFor();
    // The list below shows them once loaded.
    await page.getByRole('cell', { name: '0.8571' }).waitFor();
    // The same file again: nothing added.
    await page.getByRole('button', { name: 'Load the rates' }).click();
    await uploadCard().getByText('0 added, 2 unchanged, 0 replaced').waitFor();
    // A bad file: each refused row at its line and column.
    await page
      .getByLabel('Or paste its text')
      .fill('base,quote,day,rate\nEUR,USD,2026-03-04,0\nEUR,XYZ,2026-03-04,1.2');
    await page.getByRole('button', { name: 'Load the rates' }).click();
    const banner = squash(await uploadCard().getByRole('alert').innerText());
    expect(banner).toContain('line 2, column rate');
    expect(banner).toContain('line 3, column quote unknown currency "XYZ"');
    // Convert GBP 10,000.00 to USD: a cross through EUR.
    await convertCard().getByLabel('From currency').fill('GBP');
    await convertCard().getByLabel('To currency').fill('USD');
    await convertCard().getByLabel('Day').fill('2026-03-03');
    await convertCard().getByLabel('Amount').fill('10000.00');
    await convertCard().getByRole('button', { name: 'Convert' }).click();
    const answer = convertCard().getByRole('status');
    await answer.waitFor();
    const text = squash(await answer.innerText());
    expect(text).toContain('£10,000.00 = $12,481.62');
    expect(text).toContain('1 GBP = 1.2481624081 USD');
    expect(text).toContain('A cross through EUR');
    expect(pageErrors).toEqual([]);
  });

  it('reads in French, has no serious axe violation and fits a phone', async () => {
    ({ page, pageErrors } = await suite.open('admin@dell.test', {
      locale: 'fr-FR',
      bypassCSP: true,
      path: '/',
    }));
    await page.goto('/exchange-rates');
    await page.getByRole('heading', { level: 1, name: 'Taux de change' }).waitFor();
    await page.getByRole('heading', { name: 'Vérifier une conversion' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await offScreen(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a partner has no Exchange rates entry', async () => {
    ({ page, pageErrors } = await suite.open('admin@alpha.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.locator('#site-nav-list a').first().waitFor({ state: 'attached' });
    expect(await page.locator('#site-nav-list a[href="/exchange-rates"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
