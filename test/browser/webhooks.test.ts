import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser, startFixtureApp } from './browser.js';
import { axeViolations, DESKTOP, offScreen, squash, useBrowserSuite } from './harness.js';

/**
 * The webhooks screen in a real Chromium: a vendor admin registers an endpoint (its secret shown once),
 * sends a test event, reads the delivery and redelivers it; a partner admin reads the screen in French.
 */
describeWithBrowser('the webhooks screen in Chromium', (executablePath) => {
  const suite = useBrowserSuite(executablePath, () => startFixtureApp());
  let page: Page;
  let pageErrors: string[];

  it('as admin@dell.test: an endpoint registered, a test event, its delivery redelivered', async () => {
    ({ page, pageErrors } = await suite.open('admin@dell.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.locator('#site-nav-list a[href="/webhooks"]').waitFor({ state: 'attached' });
    await page.goto('/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    // A refused URL says why.
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page
      .getByText(/loopback/)
      .first()
      .waitFor();
    await page.getByLabel('URL').fill('https://hooks.example.com/trellis');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    const secret = await page.locator('#webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator('table tbody tr', { hasText: 'hooks.example.com' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('Active');
    await row.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const delivery = page.locator('section[aria-labelledby="webhook-deliveries"] table tbody tr', {
      hasText: 'webhook.test',
    });
    await delivery.waitFor();
    expect(squash(await delivery.innerText())).toContain('Pending');
    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await expect.poll(async () => squash(await delivery.innerText())).toContain('Pending');
    expect(pageErrors).toEqual([]);
  });

  it('has no serious or critical axe violation, and fits a phone', async () => {
    ({ page, pageErrors } = await suite.open('admin@dell.test', {
      locale: 'en-US',
      bypassCSP: true,
      path: '/',
    }));
    await page.goto('/webhooks');
    const row = page.locator('table tbody tr', { hasText: 'hooks.example.com' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Deliveries' }).click();
    await page.locator('section[aria-labelledby="webhook-deliveries"] table tbody tr').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await offScreen(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('as admin@alpha.test, in French', async () => {
    ({ page, pageErrors } = await suite.open('admin@alpha.test', { locale: 'fr-FR', path: '/' }));
    await page.goto('/webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByRole('heading', { name: 'Nouveau point de terminaison' }).waitFor();
    // Dell's endpoint is not Alpha's.
    expect(await page.getByText('hooks.example.com').count()).toBe(0);
    await page.getByText('Aucun point de terminaison pour l’instant.').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
