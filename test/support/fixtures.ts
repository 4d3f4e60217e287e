import { rebuildCoverage } from '../../src/app/engagement/rebuild.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import type { Order, OrderLine } from '../../src/core/model/orders.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import type { Role } from '../../src/core/model/people.js';
import { hashPassword } from '../../src/app/access/secrets.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const T0 = new Date('2017-02-01T00:00:00.000Z');

/**
 * A small hand-made world on top of the shipped programs: two vendors (dell, vmware), three partners
 * (one shared), two customers per vendor, a few orders. Known ids so tests can assert exactly.
 */
export async function loadFixture(ctx: AppContext) {
  const loaded = await loadFixtureRows(ctx);
  // The fixture's orders are bulk-loaded: who sold to whom is computed from them, as the demo does.
  await rebuildCoverage(ctx);
  return loaded;
}

async function loadFixtureRows(ctx: AppContext) {
  return withBulkLoader(ctx.store, async (loader) => {
    const published: Record<string, { vendorId: string; programId: string }> = {};
    for (const file of ['programs/dell-emc-fy18.yaml', 'programs/vmware-partner-connect-fy22.yaml']) {
      const text = await readFile(join(ROOT, file), 'utf8');
      const out = await publishDocument(loader.db, { clock: fixedClock(T0), ids: ctx.ids }, text, file);
      if (out.kind === 'program')
        published[out.document.vendor.slug] = { vendorId: out.vendorId, programId: out.programId };
    }
    const dell = published.dell!;
    const vmware = published.vmware!;
    // A third vendor that shares no partner with anyone: its records are foreign to every fixture person.
    await loader.db
      .insertInto('vendors')
      .values({
        id: 'vnd_contoso',
        slug: 'contoso',
        name: 'Contoso Networks',
        currency: 'USD',
        createdAt: T0.toISOString(),
      })
      .execute();
    await loader.db
      .insertInto('programs')
      .values({
        id: 'prg_contoso',
        vendorId: 'vnd_contoso',
        code: 'contoso-partners',
        name: 'Contoso Partners',
        createdAt: T0.toISOString(),
      })
      .execute();
    await loader.partners([
      {
        id: 'ptn_alpha',
        name: 'Alpha Systems Ltd',
        kind: 'reseller',
        country: 'GB',
        region: 'emea',
        domain: 'alpha.example',
        createdAt: T0,
      },
      {
        id: 'ptn_bravo',
        name: 'Bravo IT Solutions',
        kind: 'reseller',
        country: 'US',
        region: 'na',
        domain: 'bravo.example',
        createdAt: T0,
      },
      {
        id: 'ptn_dist',
        name: 'Delta Distribution',
        kind: 'distributor',
        country: 'DE',
        region: 'emea',
        domain: 'delta.example',
        createdAt: T0,
      },
      {
        id: 'ptn_vmonly',
        name: 'Victor Cloud',
        kind: 'service-provider',
        country: 'FR',
        region: 'emea',
        domain: null,
        createdAt: T0,
      },
    ]);
    await loader.enrolments([
      {
        id: 'enr_a_dell',
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId: 'ptn_alpha',
        partnerNumber: 'D-1',
        status: 'active',
        exclusive: true,
        enrolledAt: T0,
      },
      {
        id: 'enr_a_vmw',
        vendorId: vmware.vendorId,
        programId: vmware.programId,
        partnerId: 'ptn_alpha',
        partnerNumber: 'V-1',
        status: 'active',
        exclusive: false,
        enrolledAt: T0,
      },
      {
        id: 'enr_b_dell',
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId: 'ptn_bravo',
        partnerNumber: 'D-2',
        status: 'active',
        exclusive: false,
        enrolledAt: T0,
      },
      {
        id: 'enr_d_dell',
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId: 'ptn_dist',
        partnerNumber: 'D-3',
        status: 'active',
        exclusive: false,
        enrolledAt: T0,
      },
      {
        id: 'enr_v_vmw',
        vendorId: vmware.vendorId,
        programId: vmware.programId,
        partnerId: 'ptn_vmonly',
        partnerNumber: 'V-2',
        status: 'active',
        exclusive: false,
        enrolledAt: T0,
      },
    ]);
    await loader.supplyRelationships([
      { vendorId: dell.vendorId, distributorId: 'ptn_dist', resellerId: 'ptn_bravo', since: T0 },
    ]);
    await loader.products([
      {
        id: 'prd_stor',
        vendorId: dell.vendorId,
        sku: 'UNITY-300',
        name: 'Unity 300 array',
        family: 'storage',
        licensing: null,
        solution: null,
        listPriceMinor: 5_000_000,
        currency: 'USD',
        createdAt: T0,
      },
      {
        id: 'prd_srv',
        vendorId: dell.vendorId,
        sku: 'R740',
        name: 'PowerEdge R740',
        family: 'servers',
        licensing: null,
        solution: null,
        listPriceMinor: 1_200_000,
        currency: 'USD',
        createdAt: T0,
      },
      {
        id: 'prd_cso',
        vendorId: 'vnd_contoso',
        sku: 'CSO-1',
        name: 'Contoso switch',
        family: 'networking',
        licensing: null,
        solution: null,
        listPriceMinor: 100_000,
        currency: 'USD',
        createdAt: T0,
      },
      {
        id: 'prd_vsp',
        vendorId: vmware.vendorId,
        sku: 'VSPHERE-ENT',
        name: 'vSphere Enterprise Plus',
        family: 'software',
        licensing: 'perpetual',
        solution: 'cloud-infrastructure',
        listPriceMinor: 450_000,
        currency: 'USD',
        createdAt: T0,
      },
    ]);
    await loader.customers([
      {
        id: 'cus_acme',
        vendorId: dell.vendorId,
        name: 'Acme Corporation',
        domain: 'acme.example',
        country: 'GB',
        region: 'emea',
        segment: 'enterprise',
        addressLine: '1 High St',
        city: 'London',
        postalCode: 'EC1A 1AA',
        createdAt: T0,
      },
      {
        id: 'cus_globex',
        vendorId: dell.vendorId,
        name: 'Globex 100% Ltd',
        domain: null,
        country: 'US',
        region: 'na',
        segment: 'commercial',
        addressLine: null,
        city: 'Austin',
        postalCode: null,
        createdAt: T0,
      },
      {
        id: 'cus_cso',
        vendorId: 'vnd_contoso',
        name: 'Initech',
        domain: null,
        country: 'US',
        region: 'na',
        segment: 'commercial',
        addressLine: null,
        city: null,
        postalCode: null,
        createdAt: T0,
      },
      {
        id: 'cus_vacme',
        vendorId: vmware.vendorId,
        name: 'Acme Corporation',
        domain: 'acme.example',
        country: 'GB',
        region: 'emea',
        segment: 'enterprise',
        addressLine: null,
        city: 'London',
        postalCode: null,
        createdAt: T0,
      },
    ]);
    const order = (
      o: Partial<Order> & Pick<Order, 'id' | 'vendorId' | 'customerId' | 'orderDate' | 'channel'>,
    ): Order => ({
      source: 'erp',
      externalId: o.id,
      endUserName: 'Acme Corp',
      resellerId: null,
      distributorId: null,
      currency: 'USD',
      country: 'GB',
      region: 'emea',
      segment: 'enterprise',
      totalMinor: 0,
      createdAt: T0,
      ...o,
    });
    const line = (
      o: Order,
      n: number,
      productId: string,
      family: OrderLine['family'],
      qty: number,
      unit: number,
    ): OrderLine => ({
      id: `oln_${o.id.slice(4)}${n}`,
      orderId: o.id,
      vendorId: o.vendorId,
      lineNo: n,
      productId,
      family,
      quantity: qty,
      unitPriceMinor: unit,
      amountMinor: qty * unit,
      currency: 'USD',
      resellerId: o.resellerId,
      distributorId: o.distributorId,
      customerId: o.customerId,
      orderDate: o.orderDate,
      returnsLineId: null,
    });
    const o1 = order({
      id: 'ord_a1',
      vendorId: dell.vendorId,
      customerId: 'cus_acme',
      orderDate: '2017-03-10',
      channel: 'partner',
      resellerId: 'ptn_alpha',
      totalMinor: 6_200_000,
    });
    const o2 = order({
      id: 'ord_b1',
      vendorId: dell.vendorId,
      customerId: 'cus_globex',
      orderDate: '2017-04-20',
      channel: 'distributor',
      resellerId: 'ptn_bravo',
      distributorId: 'ptn_dist',
      source: 'pos:ptn_dist',
      country: 'US',
      region: 'na',
      segment: 'commercial',
      totalMinor: 2_400_000,
    });
    const o3 = order({
      id: 'ord_d1',
      vendorId: dell.vendorId,
      customerId: 'cus_globex',
      orderDate: '2017-05-01',
      channel: 'direct',
      country: 'US',
      region: 'na',
      segment: 'commercial',
      totalMinor: 1_200_000,
    });
    const o4 = order({
      id: 'ord_v1',
      vendorId: vmware.vendorId,
      customerId: 'cus_vacme',
      orderDate: '2021-03-01',
      channel: 'partner',
      resellerId: 'ptn_alpha',
      totalMinor: 900_000,
    });
    const o5 = order({
      id: 'ord_c1',
      vendorId: 'vnd_contoso',
      customerId: 'cus_cso',
      orderDate: '2017-06-01',
      channel: 'direct',
      country: 'US',
      region: 'na',
      segment: 'commercial',
      totalMinor: 100_000,
    });
    await loader.orders(
      [o1, o2, o3, o4, o5],
      [
        line(o1, 1, 'prd_stor', 'storage', 1, 5_000_000),
        line(o1, 2, 'prd_srv', 'servers', 1, 1_200_000),
        line(o2, 1, 'prd_srv', 'servers', 2, 1_200_000),
        line(o3, 1, 'prd_srv', 'servers', 1, 1_200_000),
        line(o4, 1, 'prd_vsp', 'software', 2, 450_000),
        line(o5, 1, 'prd_cso', 'networking', 1, 100_000),
      ],
    );
    const people: [string, string, Role, { vendorId?: string; partnerId?: string }, string[]][] = [
      ['per_dell_admin', 'admin@dell.test', 'vendor-admin', { vendorId: dell.vendorId }, []],
      ['per_dell_cm', 'cm.na@dell.test', 'channel-manager', { vendorId: dell.vendorId }, ['na']],
      ['per_dell_aud', 'auditor@dell.test', 'auditor', { vendorId: dell.vendorId }, []],
      ['per_vmw_admin', 'admin@vmware.test', 'vendor-admin', { vendorId: vmware.vendorId }, []],
      ['per_alpha_admin', 'admin@alpha.test', 'partner-admin', { partnerId: 'ptn_alpha' }, []],
      ['per_alpha_rep', 'rep@alpha.test', 'partner-sales-rep', { partnerId: 'ptn_alpha' }, []],
      ['per_bravo_admin', 'admin@bravo.test', 'partner-admin', { partnerId: 'ptn_bravo' }, []],
      ['per_dist', 'ops@delta.test', 'distributor', { partnerId: 'ptn_dist' }, []],
      ['per_victor_admin', 'admin@victor.test', 'partner-admin', { partnerId: 'ptn_vmonly' }, []],
    ];
    await loader.people(
      people.map(([id, email, , org]) => ({
        id,
        email,
        name: email.split('@')[0] ?? email,
        vendorId: org.vendorId ?? null,
        partnerId: org.partnerId ?? null,
        createdAt: T0,
      })),
    );
    await loader.roleGrants(
      people.map(([id, , role, org, regions]) => ({
        id: `rgr_${id.slice(4)}`,
        personId: id,
        role,
        vendorId: org.vendorId ?? null,
        partnerId: org.partnerId ?? null,
        regions,
      })),
    );
    const hash = await passwordHash();
    await loader.credentials(
      people.map(([id]) => ({ personId: id, passwordHash: hash, updatedAt: T0.toISOString() })),
    );
    return { dell, vmware };
  });
}

/** Every fixture person's password. */
export const FIXTURE_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  cachedHash ??= hashPassword(FIXTURE_PASSWORD);
  return cachedHash;
}
