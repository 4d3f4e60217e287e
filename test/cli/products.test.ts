import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { dealDataDir } from '../support/cli-deals.js';

describe('trellis products', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ env } = await dealDataDir());
  }, 60_000);

  it('adds a product with its licensing model and solution area as a vendor admin, and lists it', () => {
    const add = trellis(
      [
        'products',
        'add',
        '--as',
        'admin@vmware.test',
        '--sku',
        'VM-HZN-SAAS',
        '--name',
        'Horizon Service',
        '--family',
        'software',
        '--list-price',
        '1,250.00',
        '--licensing',
        'saas',
        '--solution',
        'digital-workspace',
        '--json',
      ],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      sku: 'VM-HZN-SAAS',
      listPriceMinor: 125_000,
      licensing: 'saas',
      solution: 'digital-workspace',
    });
    const list = trellis(['products', 'list', '--vendor', 'vmware', '--licensing', 'saas'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('VM-HZN-SAAS');
    expect(list.stdout).toContain('digital-workspace');
    expect(list.stdout).not.toContain('VSPHERE-ENT');
  });

  it('refuses a licensing model on hardware, naming the field, and a partner adding products', () => {
    const hw = trellis(
      [
        'products',
        'add',
        '--as',
        'admin@dell.test',
        '--sku',
        'R750',
        '--name',
        'PowerEdge R750',
        '--family',
        'servers',
        '--list-price',
        '9000',
        '--licensing',
        'subscription',
      ],
      env,
    );
    expect(hw.code).toBe(1);
    expect(hw.stderr).toContain('/licensing: a servers product carries no licensing model');
    const partner = trellis(
      [
        'products',
        'add',
        '--as',
        'admin@alpha.test',
        '--sku',
        'X',
        '--name',
        'X',
        '--family',
        'software',
        '--list-price',
        '1',
      ],
      env,
    );
    expect(partner.code).toBe(1);
    expect(partner.stderr).toContain('--as admin@alpha.test');
    const list = trellis(['products', 'list', '--json'], env);
    expect(list.stdout).not.toContain('R750');
  });
});
