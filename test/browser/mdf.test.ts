import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addDays } from '../../src/core/programs/dates.js';
import { creditMdf, publishMdfYear } from '../support/mdf.js';
import { describeWithBrowser, startFixtureApp } from './browser.js';
import { axeViolations, DESKTOP, offScreen, squash, useBrowserSuite } from './harness.js';

/** A PDF's first bytes (the server checks the type from them) and a CSV attendee list. */
const INVOICE = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const ATTENDEES = Buffer.from('name,company\nAda Lovelace,Analytical Engines\nGrace Hopper,COBOL Inc\n');

/**
 * Market development funds in a real Chromium, on the real clock: a VMware year that began three months
 * ago holds Alpha's USD 1,000.00 of earned MDF from its first quarter. Alpha proposes an activity that
 * ended last week, VMware pre-approves part of it, Alpha claims with its invoice and attendee list
 * uploaded, VMware approves and pays; Alpha's funds show what was spent. Then the pages in French.
 */
describeWithBrowser('marketing funds in Chromium', (executablePath) => {
  const today = new Date().toISOString().slice(0, 10);
  const yearFrom = `${addDays(today, -100).slice(0, 7)}-01`;
  const startsOn = addDays(today, -12);
  const endsOn = addDays(today, -8);
  let programId = '';
  const suite = useBrowserSuite(executablePath, () =>
    startFixtureApp({
      store: async (ctx) => {
        const program = await publishMdfYear(ctx, yearFrom);
        programId = program.programId;
        await creditMdf(ctx, { ...program, partnerId: 'ptn_alpha', period: 'FY99-Q1', amountMinor: 100_000 });
      },
    }),
  );
  let page: Page;
  let pageErrors: string[];
  let activityPath = '';

  const fundsCard = () => page.locator('section[aria-labelledby="mdf-funds"]');

  it('a partner sees its funds and proposes an activity', async () => {
    ({ page, pageErrors } = await suite.open('admin@alpha.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.locator('#site-nav-list a[href="/mdf"]').waitFor({ state: 'attached' });
    await page.goto(`/mdf?program=${programId}`);
    await page.getByRole('heading', { level: 1, name: 'Marketing funds' }).waitFor();
    await page.getByRole('heading', { name: 'My funds' }).waitFor();
    expect(squash(await fundsCard().innerText())).toContain('Available now $1,000.00');
    await page.getByRole('link', { name: 'Propose an activity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Propose an activity' }).waitFor();
    await page.getByText('You have $1,000.00 of earned MDF available now.').waitFor();
    // Mistakes are said before anything is sent.
    await page.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByText('Required.').first().waitFor();
    await page.getByLabel('Type').selectOption('event');
    await page.getByText('a claim needs: invoice, attendee-list').waitFor();
    await page.getByLabel('Title').fill('Customer roundtable in Lyon');
    await page.getByLabel('Starts on').fill(startsOn);
    await page.getByLabel('Ends on').fill(endsOn);
    await page.getByLabel('Amount (USD)').fill('800');
    await page.getByLabel('Expected outcome').fill('Ten qualified opportunities');
    await page.getByRole('button', { name: 'Send the proposal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Customer roundtable in Lyon' }).waitFor();
    activityPath = new URL(page.url()).pathname;
    expect(activityPath).toMatch(/^\/mdf\/mdf_/);
    expect(squash(await page.locator('.subtitle').first().innerText())).toContain('Proposed');
    expect(pageErrors).toEqual([]);
  });

  it('the vendor pre-approves part of it from its queue, with the amount it chose', async () => {
    ({ page, pageErrors } = await suite.open('admin@vmware.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.goto(`/mdf?program=${programId}`);
    const queue = page.locator('section[aria-label="Proposals to pre-approve"]');
    await queue.getByRole('link', { name: 'Customer roundtable in Lyon' }).click();
    await page.getByRole('button', { name: 'Pre-approve' }).click();
    expect(await page.getByLabel('Amount (USD)').inputValue()).toBe('800');
    // The vendor decides knowing what the partner holds; a refusal reads in money, not minor units.
    await page.getByText('The partner has $1,000.00 of earned MDF available today.').waitFor();
    await page.getByLabel('Amount (USD)').fill('900');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('$900.00 is more than the $800.00 requested.').waitFor();
    await page.getByLabel('Amount (USD)').fill('600');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Pre-approved: the amount is held in the fund for this activity.').waitFor();
    await expect
      .poll(async () => squash(await page.locator('.subtitle').first().innerText()))
      .toContain('Pre-approved');
    expect(pageErrors).toEqual([]);
  });

  it('the partner claims with its proof uploaded; a missing kind is named first', async () => {
    ({ page, pageErrors } = await suite.open('admin@alpha.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.goto(activityPath);
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByLabel('Amount (USD)').fill('550');
    await page.getByLabel('Kind of proof').selectOption('invoice');
    await page
      .getByLabel('File (invoice)')
      .setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: INVOICE });
    await page.getByText('invoice.pdf uploaded.').waitFor();
    await page.getByRole('button', { name: 'Send the claim' }).click();
    await page.getByText('Attach proof of kind: attendee-list.').waitFor();
    await page.getByLabel('Kind of proof').selectOption('attendee-list');
    await page
      .getByLabel('File (attendee-list)')
      .setInputFiles({ name: 'attendees.csv', mimeType: 'text/csv', buffer: ATTENDEES });
    await page.getByText('attendees.csv uploaded.').waitFor();
    await page.getByRole('button', { name: 'Send the claim' }).click();
    await page.getByText('Claim sent: the vendor reviews it.').waitFor();
    await expect
      .poll(async () => squash(await page.locator('.subtitle').first().innerText()))
      .toContain('Claimed');
    const files = page.locator('section[aria-labelledby="mdf-files"]');
    await expect.poll(async () => squash(await files.innerText())).toContain('invoice · invoice.pdf');
    expect(squash(await files.innerText())).toContain('attendee-list · attendees.csv');
    expect(pageErrors).toEqual([]);
  });

  it('the vendor approves and pays the claim; the partner sees what it spent', async () => {
    ({ page, pageErrors } = await suite.open('admin@vmware.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.goto(`/mdf?program=${programId}`);
    await page
      .locator('section[aria-label="Claims to review"]')
      .getByRole('link', { name: 'Customer roundtable in Lyon' })
      .click();
    await page.getByRole('button', { name: 'Approve and pay' }).click();
    expect(await page.getByLabel('Amount (USD)').inputValue()).toBe('550');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Approved and paid: the payment is posted to the ledger.').waitFor();
    await expect
      .poll(async () => squash(await page.locator('.subtitle').first().innerText()))
      .toContain('Paid');
    expect(squash(await page.locator('dl').first().innerText())).toMatch(/Ledger transaction \S+/);
    // The region's use: paid this quarter.
    await page.goto(`/mdf?program=${programId}`);
    const usage = page.locator('section[aria-labelledby="mdf-usage"] table');
    await usage.waitFor();
    expect(squash(await usage.innerText())).toContain('$550.00');

    ({ page, pageErrors } = await suite.open('admin@alpha.test', {
      locale: 'en-US',
      viewport: DESKTOP,
      path: '/',
    }));
    await page.goto(`/mdf?program=${programId}`);
    await fundsCard().waitFor();
    const card = squash(await fundsCard().innerText());
    expect(card).toContain('Available now $450.00');
    expect(card).toContain('Spent $550.00');
    expect(pageErrors).toEqual([]);
  });

  it('reads in French, has no serious axe violation and fits a phone', async () => {
    ({ page, pageErrors } = await suite.open('admin@alpha.test', {
      locale: 'fr-FR',
      bypassCSP: true,
      path: '/',
    }));
    await page.goto(activityPath);
    await page.getByRole('heading', { name: 'Ce qu’elle a rapporté' }).waitFor();
    expect(squash(await page.locator('.subtitle').first().innerText())).toContain('Payée');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`/mdf?program=${programId}`);
    await page.getByRole('heading', { name: 'Mes fonds' }).waitFor();
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await offScreen(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
