import type { Command } from 'commander';
import { actingAs } from '../../app/access/acting-as.js';
import { createProduct } from '../../app/catalog/products.js';
import { type AppContext } from '../../app/context.js';
import { listProducts } from '../../app/queries.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { LICENSING_MODELS, PRODUCT_FAMILIES } from '../../core/model/catalog.js';
import { formatMoney, parseMoney } from '../../core/money/money.js';
import { TrellisError } from '../../core/shared/errors.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

/**
 * The vendor's catalogue from the command line (issue 12): list the products with their licensing model
 * and solution area, and add one as a vendor admin (`--as <email>`, the same policy and audit as
 * `POST /api/products`).
 */

const out = (line: string) => process.stdout.write(`${line}\n`);

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const found = allowed.find((a) => a === v);
  if (!found) throw new TrellisError('invalid_input', `${flag}: expected one of ${allowed.join(', ')}`);
  return found;
}

async function vendorScope(ctx: AppContext, vendor: string | undefined): Promise<Scope> {
  if (!vendor) return SYSTEM_SCOPE;
  const v = await ctx.repos.vendors.get(SYSTEM_SCOPE, vendor);
  if (!v) throw new TrellisError('not_found', `--vendor: no vendor has the slug or id ${vendor}`);
  return { kind: 'vendor', vendorId: v.id, regions: [] };
}

type ProductRow = Awaited<ReturnType<typeof listProducts>>['items'][number];

function line(p: ProductRow): string {
  return [
    p.sku.padEnd(18),
    p.family.padEnd(15),
    (p.licensing ?? '-').padEnd(12),
    (p.solution ?? '-').padEnd(22),
    formatMoney({ amountMinor: p.listPriceMinor, currency: p.currency }).padStart(16),
    `  ${p.name}`,
  ].join(' ');
}

export function registerProducts(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const products = program
    .command('products')
    .description("the vendor's catalogue: SKUs with their family, licensing model and solution area");

  products
    .command('list')
    .description('list products (every vendor, or one with --vendor)')
    .option('--vendor <vendor>', 'vendor slug or id')
    .option('--family <family>', PRODUCT_FAMILIES.join(', '))
    .option('--licensing <model>', LICENSING_MODELS.join(', '))
    .option('--solution <code>', 'solution area code')
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        vendor?: string;
        family?: string;
        licensing?: string;
        solution?: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            const scope = await vendorScope(ctx, opts.vendor);
            const filter = {
              vendorId: scope.kind === 'vendor' ? scope.vendorId : undefined,
              family: oneOf('--family', opts.family, PRODUCT_FAMILIES),
              licensing: oneOf('--licensing', opts.licensing, LICENSING_MODELS),
              solution: opts.solution,
            };
            let cursor: string | undefined;
            do {
              const page = await listProducts(ctx, scope, filter, {
                limit: 500,
                cursor,
                sort: 'sku',
                direction: 'asc',
              });
              for (const p of page.items) out(opts.json ? JSON.stringify(p) : line(p));
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
          }),
        );
      },
    );

  products
    .command('add')
    .description("add a product to a vendor's catalogue, as a vendor admin (audited)")
    .requiredOption('--as <email>', 'the vendor admin adding it')
    .requiredOption('--sku <sku>', "the vendor's SKU (unique per vendor)")
    .requiredOption('--name <name>', 'product name')
    .requiredOption('--family <family>', PRODUCT_FAMILIES.join(', '))
    .requiredOption('--list-price <amount>', "list price in the vendor's currency, e.g. 4500.00")
    .option('--licensing <model>', `software only: ${LICENSING_MODELS.join(', ')}`)
    .option('--solution <code>', 'solution area code, e.g. cloud-infrastructure')
    .option('--json', 'print the product as JSON')
    .action(
      async (opts: {
        as: string;
        sku: string;
        name: string;
        family: string;
        listPrice: string;
        licensing?: string;
        solution?: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), () =>
          withContext(async (ctx) => {
            const who = await actingAs(
              ctx,
              opts.as,
              { resource: 'product', action: 'write' },
              'adding a product',
            );
            if (who.scope.kind !== 'vendor')
              throw new TrellisError('forbidden', `--as ${opts.as}: only a vendor's admins add products`);
            const vendor = await ctx.repos.vendors.get(who.scope, who.scope.vendorId);
            const currency = vendor?.currency ?? 'USD';
            const price = parseMoney(`${currency} ${opts.listPrice}`);
            if (!price.ok) throw new TrellisError('invalid_input', `--list-price: ${price.error}`);
            const created = await createProduct(ctx, who, {
              sku: opts.sku,
              name: opts.name,
              family: opts.family,
              listPriceMinor: price.value.amountMinor,
              currency,
              licensing: opts.licensing ?? null,
              solution: opts.solution ?? null,
            });
            const p = created.product;
            if (opts.json) out(JSON.stringify(p));
            else
              out(
                `${created.replayed ? 'already in the catalogue' : 'added'}: ${p.id} ${p.sku} (${p.family}, licensing ${p.licensing ?? 'none'}, solution ${p.solution ?? 'none'})`,
              );
          }),
        );
      },
    );
}
