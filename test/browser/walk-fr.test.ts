import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ROOT } from '../support/fixtures.js';
import { viaJob } from '../support/jobs.js';
import { describeWithBrowser, startFixtureApp, type RunningApp } from './browser.js';
import { DESKTOP, squashKeepingNoBreak as squash, useBrowserSuite } from './harness.js';

/** Inside FY18-Q2 of the Dell program: the routed order and the partner order before it. */
const ORDER_DAY = '2017-07-03';
const CUSTOMER = 'Müller Maschinenbau GmbH';
const SIMULATION = 'stockage gold 3 %';
const REASON = 'La remise de base ne tient pas compte de la commande de mars';

/** A French amount in dollars, as the pages write it. */
const MONEY = /[\d\u202f]+,\d\d\u00a0\$US/;

/** French money: thousands split by U+202F, a comma before the cents, U+00A0 before the currency. */
const FRENCH_USD = /^-?[1-9]\d{0,2}(\u202f\d{3})*,\d\d\u00a0\$US$|^0,00\u00a0\$US$/;

/**
 * The fixture world, set up through the API as the English walks set theirs up: Alpha sold storage to
 * Acme in FY18-Q2, so Dell's direct order for Acme is offered to Alpha (48 hours, real clock); FY18-Q1 is
 * closed and Alpha's statement of it issued, so Alpha can read it and dispute a line; FY18-Q2 is left
 * open for Dell's admin to close from the Closes page.
 */
function startWalkApp(): Promise<RunningApp> {
  return startFixtureApp({
    api: async (admin) => {
      const order = (externalId: string, over: Record<string, unknown>) => ({
        source: 'erp',
        externalId,
        orderDate: ORDER_DAY,
        currency: 'USD',
        customerId: 'cus_acme',
        ...over,
      });
      const partnerOrder = await admin(
        'POST',
        '/api/orders',
        order('SO-WALK-P1', {
          channel: 'partner',
          resellerId: 'ptn_alpha',
          lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 4_500_000 }],
        }),
      );
      if (partnerOrder.status !== 201)
        throw new Error(`partner order: ${partnerOrder.status} ${partnerOrder.text}`);
      // Storage and servers to another account: a cross-sell bonus for FY18-Q2's close to post.
      const crossSell = await admin(
        'POST',
        '/api/orders',
        order('SO-WALK-P2', {
          orderDate: '2017-06-01',
          customerId: 'cus_globex',
          channel: 'partner',
          resellerId: 'ptn_alpha',
          lines: [
            { productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 },
            { productId: 'prd_srv', quantity: 1, unitPriceMinor: 500_000 },
          ],
        }),
      );
      if (crossSell.status !== 201)
        throw new Error(`cross-sell order: ${crossSell.status} ${crossSell.text}`);
      const directOrder = await admin(
        'POST',
        '/api/orders',
        order('SO-WALK-D1', {
          channel: 'direct',
          lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 4_500_000 }],
        }),
      );
      if (directOrder.status !== 202)
        throw new Error(`direct order: ${directOrder.status} ${directOrder.text}`);
      const routing = directOrder.body.routing as { offeredTo: { partnerId: string } };
      if (routing.offeredTo.partnerId !== 'ptn_alpha')
        throw new Error('the direct order was not offered to Alpha');
      const close = await viaJob(admin, 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
        dryRun: false,
      });
      if (close.status !== 200) throw new Error(`close: ${close.status} ${close.text}`);
      const statements = await admin('GET', '/api/statements?partner=ptn_alpha&period=FY18-Q1');
      const items = (statements.body.items ?? []) as { id: string }[];
      if (statements.status !== 200 || items.length !== 1)
        throw new Error(`Alpha's FY18-Q1 statement: ${statements.status} ${statements.text}`);
      const issued = await admin('POST', `/api/statements/${items[0]?.id}/issue`, {});
      if (issued.status !== 200) throw new Error(`issue: ${issued.status} ${issued.text}`);
    },
  });
}

type Catalogue = { readonly [key: string]: string | Catalogue };

function flatten(c: Catalogue, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

/**
 * The English sentences of the app that French says otherwise: every stretch of an English text, between
 * its placeholders and tags, of four words or more. A French page showing one fell back to English.
 */
async function englishSentences(): Promise<string[]> {
  const dir = join(ROOT, 'web', 'src', 'i18n');
  const load = async (file: string) =>
    ((await import(pathToFileURL(join(dir, file)).href)) as { default: Catalogue }).default;
  const sentences = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.en.ts'))) {
    const area = file.slice(0, -'.en.ts'.length);
    const en = flatten(await load(file));
    const fr = flatten(await load(`${area}.fr.ts`));
    for (const [key, text] of en) {
      if (fr.get(key) === text) continue;
      for (const piece of text.split(/\{\{[^}]*\}\}|<[^>]*>/)) {
        const s = piece.trim().replace(/\s+/g, ' ');
        if (s.split(' ').length >= 4) sentences.add(s);
      }
    }
  }
  return [...sentences];
}

/**
 * Every role's home and main tasks in a real Chromium, in French, through French labels and ARIA names
 * only: Alpha's admin reads its tier and earnings, registers a deal, accepts an offer and disputes a
 * statement line; Dell's admin approves that registration, closes FY18-Q2 after a dry run that says what
 * the close will post, and runs a simulation. No page falls back to English. The steps build on each other.
 */
describeWithBrowser('the French walk in Chromium', (executablePath) => {
  let page: Page;
  let pageErrors: string[];
  let english: string[];
  const suite = useBrowserSuite(executablePath, startWalkApp, async () => {
    english = await englishSentences();
    if (english.length < 100)
      throw new Error(`only ${english.length} English sentences found in the catalogues`);
  });

  const navLabels = () =>
    page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link').allInnerTexts();

  /** Signs in through the API and opens `path` in a French browser. */
  async function openSignedIn(email: string, path: string) {
    ({ page, pageErrors } = await suite.open(email, {
      locale: 'fr-FR',
      viewport: DESKTOP,
      consoleErrors: true,
      path,
    }));
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  }

  /**
   * The page as it reads now holds no English sentence of the app's catalogues, and nothing went wrong in
   * it. Texts the server writes (a statement line's explanation, why an offer came to you) come as
   * messages the app says in French; the tests of those pages check their sentences.
   */
  async function expectFrenchOnly(where: string) {
    const text = squash(await page.locator('body').innerText());
    const found = english.filter((s) => text.includes(s));
    expect(found, `English on ${where}`).toEqual([]);
    for (const word of ['Sign out', 'Loading', 'Statements', 'Home', 'End of'])
      expect(text).not.toContain(word);
    expect(pageErrors).toEqual([]);
  }

  /** A figure of a close's result ("Écritures au grand livre 12"), French digits read back. */
  const figure = (text: string, label: string) =>
    Number(new RegExp(`${label} ([\\d\\u202f\\u00a0]+)`).exec(text)?.[1]?.replace(/\D/g, '') ?? NaN);

  /** Today (UTC) plus `days`, YYYY-MM-DD: expected close dates must be in the future. */
  const dayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('admin@alpha.test : son accueil, son palier et ses gains en français', async () => {
    await openSignedIn('admin@alpha.test', '/');
    await page.getByRole('heading', { level: 1, name: 'Accueil : Alpha Systems Ltd' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Vos fournisseurs' }).waitFor();
    const card = page.getByRole('article', { name: /^Dell Technologies/ });
    // No tier was recorded in this world: the measures point to Gold through its closest path.
    expect(await card.getByTestId('home-tier').innerText()).toBe('aucun enregistré pour l’instant');
    expect(squash(await card.innerText())).toMatch(
      /Palier suivant Gold par la voie Path 1 \(\d+ % atteints\)/,
    );
    await card.getByRole('progressbar', { name: 'Progression vers Gold' }).waitFor();
    // The year's earnings and payouts, in French money.
    const year = card.locator('tr[data-span="year"]');
    expect(squash(await year.locator('th').innerText())).toBe('Cette année (FY18)');
    const amounts = (await year.locator('td').allInnerTexts()).map((s) => s.trim());
    expect(amounts.length).toBe(2);
    for (const amount of amounts) expect(amount).toMatch(FRENCH_USD);
    expect(amounts[0]).toMatch(/\d\u202f\d{3},\d\d\u00a0\$US$/);
    await card.getByRole('figure', { name: /Gains par mois et par composante, FY18/ }).waitFor();
    await expectFrenchOnly('the partner home');
  }, 60_000);

  it('admin@alpha.test : enregistre une affaire par le formulaire', async () => {
    await openSignedIn('admin@alpha.test', '/deals');
    await expect.poll(navLabels).toContain('Affaires');
    await page.getByRole('heading', { level: 1, name: 'Affaires' }).waitFor();
    await page.getByRole('link', { name: 'Enregistrer une affaire' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enregistrer une affaire' }).waitFor();
    const program = page.getByLabel('Programme', { exact: true });
    await expect.poll(() => program.locator('option').count()).toBeGreaterThan(1);
    await program.selectOption({ label: 'Dell EMC Partner Program' });
    await page.getByLabel('Pays', { exact: true }).fill('DE');
    await page.getByLabel('Domaine web, facultatif').fill('mueller-maschinenbau.de');
    await page.getByLabel('Raison sociale').fill(CUSTOMER);
    await page.getByLabel('Segment').selectOption('commercial');
    await page.getByLabel('Ligne 1 : famille de produits').selectOption('storage');
    // Typed the French way: a space between thousands, a comma before the cents.
    await page.getByLabel('Ligne 1 : montant (USD)').fill('40 000,00');
    await page.getByLabel('Date de clôture prévue').fill(dayPlus(60));
    await page.getByLabel('Description').fill('Renouvellement du stockage de deux centres de données');
    await page.getByRole('button', { name: 'Soumettre l’enregistrement' }).click();
    const outcome = page.locator('[data-outcome="submitted"]');
    await outcome.waitFor();
    expect(squash(await outcome.innerText())).toMatch(/^Soumis ; le fournisseur l’examine d’ici le .+\.$/);
    await page.getByRole('link', { name: 'Ouvrir l’enregistrement' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/deals/deal'));
    await page.getByRole('heading', { level: 1, name: CUSTOMER }).waitFor();
    expect(squash(await page.locator('.subtitle').innerText())).toContain('soumis');
    await expect
      .poll(async () => squash(await page.locator('ol.deal-history').innerText()))
      // French typography: a no-break space before the colon.
      .toMatch(/Partenaire\u00a0: Soumission \(brouillon → soumis\)/);
    expect(squash(await page.locator('main').innerText())).toMatch(/40\u202f000,00\u00a0\$US/);
    // The standing "if you win this deal" offers the program year's end as a French day.
    await page.getByRole('button', { name: 'Fin de FY18 (02/02/2018)' }).waitFor();
    await expectFrenchOnly('the registration');
  }, 60_000);

  it('admin@alpha.test : accepte l’offre de la commande d’Acme', async () => {
    await openSignedIn('admin@alpha.test', '/offers');
    await page.getByRole('heading', { level: 1, name: 'Offres' }).waitFor();
    const open = page.getByRole('region', { name: 'Offres en attente de votre réponse' });
    const row = open.locator('tbody tr', { hasText: 'Acme Corporation' });
    await row.waitFor();
    const text = squash(await row.innerText());
    expect(text).toMatch(/90\u202f000,00\u00a0\$US/);
    expect(text).toMatch(/encore (1 j 23 h|2 j)/);
    // Why the offer came to Alpha, as the server decided it, said in French.
    const why = squash(await row.locator('.explanation').innerText());
    expect(why).toMatch(/^(Acme Corporation (a acheté|est réservé)|Une commande directe sous le seuil)/);
    expect(why).not.toMatch(/ bought | is channel| below the /);
    await page.getByText('Vous n’avez encore répondu à aucune offre.').waitFor();
    await row.getByRole('button', { name: 'Accepter la commande de Acme Corporation' }).click();
    const accept = page.getByRole('alertdialog', { name: 'Accepter la commande de Acme Corporation ?' });
    await accept.waitFor();
    expect(squash(await accept.innerText())).toContain('enregistrée par votre intermédiaire');
    await accept.getByRole('button', { name: 'Accepter la commande' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: 'Acceptée : la commande de Acme Corporation est enregistrée par votre intermédiaire.',
      })
      .waitFor();
    await page.getByText('Aucune offre n’attend votre réponse.').waitFor();
    const answered = page
      .getByRole('region', { name: 'Offres auxquelles vous avez répondu' })
      .locator('tbody tr');
    await answered.first().waitFor();
    expect(await answered.count()).toBe(1);
    expect(squash(await answered.first().innerText())).toContain('acceptée');
    await expectFrenchOnly('the offers');
  }, 60_000);

  it('admin@alpha.test : ouvre son relevé de FY18-Q1 et conteste une ligne', async () => {
    await openSignedIn('admin@alpha.test', '/statements');
    await page.getByRole('heading', { level: 1, name: 'Relevés' }).waitFor();
    const row = page.locator('table tbody tr', { hasText: 'FY18-Q1' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain('émis');
    await row.getByRole('link', { name: 'FY18-Q1' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/statements/stm_'));
    await page.getByRole('heading', { level: 1, name: 'Relevé FY18-Q1' }).waitFor();
    const totals = squash(await page.locator('section', { has: page.locator('#totals') }).innerText());
    expect(totals).toMatch(/Total [\d\u202f]+,\d\d\u00a0\$US/);
    // Each line's sentence, written by the server, reads in French with French amounts and days.
    const sentences = (await page.locator('td .explanation').allInnerTexts()).map(squash);
    expect(sentences.length).toBeGreaterThan(0);
    for (const sentence of sentences) {
      expect(sentence).toMatch(/\d,\d\d\u00a0\$US/);
      expect(sentence).not.toMatch(/ on line | of USD |accrued|customer\(s\)|Posted at|Close of/);
    }
    expect(sentences.some((s) => / sur la ligne oln_\w+ du \d\d\/\d\d\/\d{4}\./.test(s))).toBe(true);
    expect(sentences.some((s) => s.startsWith('Clôture de FY18-Q1 : '))).toBe(true);

    const dispute = page.getByRole('button', { name: /^Contester la ligne \d+$/ }).first();
    await dispute.click();
    const form = page.getByRole('form', { name: /^Contester la ligne \d+ : / });
    await form.waitFor();
    await form.getByRole('button', { name: 'Ouvrir la contestation' }).click();
    expect(await form.getByRole('alert').innerText()).toContain('Dites pourquoi la ligne est erronée.');
    await form.getByLabel('Pourquoi cette ligne est-elle erronée ?').fill(REASON);
    // A French amount: a comma before the cents.
    await form.getByLabel(/^Ajustement demandé \(USD\)/).fill('250,50');
    await form.getByRole('button', { name: 'Ouvrir la contestation' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Contestation ouverte sur la ligne \d+, pour 250,50\u00a0\$US demandés\./ })
      .waitFor();
    const disputes = page
      .locator('table')
      .filter({ has: page.locator('caption', { hasText: 'Contestations sur ce relevé' }) })
      .locator('tbody tr');
    await expect.poll(() => disputes.count()).toBe(1);
    const disputed = squash(await disputes.first().innerText());
    expect(disputed).toContain(REASON);
    expect(disputed).toContain('En attente du fournisseur');
    await expectFrenchOnly('the statement');

    // From a line to its order: what Alpha earned on it, rule by rule, said in French.
    await page.locator('td a[href^="/orders/ord_"]').first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/orders/ord_'));
    const earned = page.locator('section', { has: page.locator('#earned') });
    await earned
      .getByRole('heading', { level: 2, name: 'Ce que les partenaires ont gagné sur cette commande' })
      .waitFor();
    const credits = earned.locator('tbody tr');
    await expect.poll(() => credits.count()).toBeGreaterThan(0);
    for (const credit of await credits.allInnerTexts()) {
      expect(squash(credit)).toMatch(/Alpha Systems Ltd/);
      expect(squash(credit)).toMatch(/ sur la ligne oln_\w+ du \d\d\/\d\d\/\d{4}\./);
    }
    await expectFrenchOnly('the order');
  }, 60_000);

  it('admin@dell.test : examine l’enregistrement et l’approuve', async () => {
    await openSignedIn('admin@dell.test', '/deal-reviews');
    await expect.poll(navLabels).toContain('Revue des affaires');
    await page.getByRole('heading', { level: 1, name: 'Revue des affaires' }).waitFor();
    const row = page.locator('table tbody tr', { hasText: CUSTOMER });
    await row.waitFor();
    await expect.poll(async () => squash(await row.innerText())).toContain('Alpha Systems Ltd');
    expect(squash(await row.innerText())).toMatch(/échéance dans 5 h \d{1,2} min/);
    await row.getByRole('link', { name: CUSTOMER }).click();
    await page.getByRole('heading', { level: 1, name: `Examen : ${CUSTOMER}` }).waitFor();
    await page.getByRole('button', { name: 'Approuver', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: `Approuver : ${CUSTOMER} ?` });
    await confirm.waitFor();
    expect(squash(await confirm.innerText())).toContain('protège son client');
    await confirm.getByRole('button', { name: 'Approuver', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Approuver : fait\. L’enregistrement est maintenant approuvé, protégé jusqu’au / })
      .waitFor();
    await page.locator('.subtitle', { hasText: 'approuvé' }).waitFor();
    await expectFrenchOnly('the review');
  }, 60_000);

  it('admin@dell.test : clôture FY18-Q2 après une simulation qui dit ce qu’elle comptabilisera', async () => {
    await openSignedIn('admin@dell.test', '/closes');
    await page.getByRole('heading', { level: 1, name: 'Clôtures' }).waitFor();
    const closes = page
      .locator('table')
      .filter({ has: page.locator('caption', { hasText: 'Clôtures, page 1' }) })
      .locator('tbody tr');
    await expect.poll(() => closes.count()).toBe(1);
    const form = page.getByRole('form', { name: 'Clôturer une période' });
    await form.getByLabel('Programme').selectOption({ label: 'Dell EMC Partner Program' });
    await form.getByLabel('Période').fill('FY18-Q2');
    expect(await form.getByLabel(/^Simulation/).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Lancer une simulation' }).click();
    const dry = page.getByRole('status').filter({ hasText: 'Simulation de FY18-Q2' });
    await dry.waitFor();
    const said = squash(await dry.innerText());
    expect(said).toContain('rien n’a été écrit. Voici ce que la clôture comptabiliserait.');
    expect(said).toContain('Le grand livre concorde au centime près avec un calcul repris de zéro.');
    const preview = squash(await page.locator('.close-result').innerText());
    expect(preview).toMatch(/Montant qu’elle transférerait -?[\d\u202f]+,\d\d\u00a0\$US/);
    expect(figure(preview, 'Relevés qu’elle établirait')).toBeGreaterThan(0);
    // Alpha's storage and servers to Globex: the cross-sell bonus is what the close will post.
    expect(figure(preview, 'Régularisations qu’elle comptabiliserait')).toBeGreaterThan(0);
    const wouldMove = MONEY.exec(
      /Montant qu’elle transférerait (\S+\u00a0\$US)/.exec(preview)?.[1] ?? '',
    )?.[0];
    expect(wouldMove).toMatch(/^[1-9]/);
    // A dry run writes nothing: still one close.
    expect(await closes.count()).toBe(1);

    // The real close asks first; cancelling starts nothing.
    await form.getByLabel(/^Simulation/).uncheck();
    await form.getByRole('button', { name: 'Clôturer la période' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Clôturer FY18-Q2 de Dell EMC Partner Program ?' });
    await confirm.getByRole('button', { name: 'Annuler' }).click();
    await confirm.waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Clôturer la période' }).click();
    await confirm.getByRole('button', { name: 'Oui, clôturer la période' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^FY18-Q2 \(du .+ au .+\) clôturée sous / })
      .waitFor();
    // The dry run said what the close then posted.
    const posted = squash(await page.locator('.close-result').innerText());
    expect(figure(posted, 'Régularisations comptabilisées')).toBe(
      figure(preview, 'Régularisations qu’elle comptabiliserait'),
    );
    expect(figure(posted, 'Écritures au grand livre')).toBe(figure(preview, 'Écritures au grand livre'));
    expect(figure(posted, 'Brouillons de relevés établis')).toBe(
      figure(preview, 'Relevés qu’elle établirait'),
    );
    await expect.poll(() => closes.count()).toBe(2);
    await expectFrenchOnly('the closes');
  }, 90_000);

  it('admin@dell.test : depuis son accueil, émet, approuve et paie en groupe les relevés de FY18-Q2', async () => {
    await openSignedIn('admin@dell.test', '/');
    await page.getByRole('heading', { level: 1, name: 'Accueil : Dell Technologies' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Relevés à émettre, approuver et payer' }).waitFor();
    /** One bulk step on FY18-Q2's row: asks, reads what it will do, confirms, waits for the dialog to go. */
    async function bulk(button: string, question: string, expectText: RegExp) {
      const row = page
        .locator('table tbody tr', { hasText: 'FY18-Q2' })
        .filter({ has: page.getByRole('button', { name: button }) });
      await row.getByRole('button', { name: button }).click();
      const dialog = page.getByRole('alertdialog', { name: question });
      await dialog.waitFor();
      await expect.poll(async () => squash(await dialog.innerText())).toMatch(expectText);
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await bulk('Tout émettre', 'Émettre ces relevés ?', /1 relevé va changer de statut\./);
    await bulk('Tout approuver', 'Approuver ces relevés ?', /1 relevé va changer de statut\./);
    await bulk('Tout payer', 'Payer ces relevés ?', /versé [\d\u202f]+,\d\d\u00a0\$US/);
    await expect.poll(() => page.locator('table tbody tr', { hasText: 'FY18-Q2' }).count()).toBe(0);
    await expectFrenchOnly('the vendor home');
  }, 60_000);

  it('admin@dell.test : lance une simulation d’un brouillon', async () => {
    const shipped = readFileSync(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8');
    await openSignedIn('admin@dell.test', '/simulations');
    await expect.poll(navLabels).toContain('Simulations');
    await page.getByRole('heading', { level: 1, name: 'Simulations' }).waitFor();
    await page
      .getByLabel('Programme en brouillon')
      .fill(shipped.replace('gold: { storage: 2%', 'gold: { storage: 3%'));
    await page.getByLabel('Du', { exact: true }).fill('2017-02-01');
    await page.getByLabel('Au', { exact: true }).fill('2017-07-31');
    await page.getByLabel('Nom (facultatif)').fill(SIMULATION);
    await page.getByRole('button', { name: 'Simuler' }).click();
    await page.getByRole('heading', { level: 1, name: SIMULATION }).waitFor();
    await page.getByRole('heading', { name: 'Coût par période' }).waitFor();
    await page.getByRole('heading', { name: 'Coût par composante' }).waitFor();
    await page.getByText('Les niveaux du brouillon sont ceux de la référence').waitFor();
    const rows = page
      .getByRole('region', { name: 'Partenaires, référence et brouillon' })
      .locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await page.getByText(/^\d+ gagnent, \d+ perdent, \d+ inchangés$/).waitFor();
    await expectFrenchOnly('the simulation');
  }, 90_000);
});
