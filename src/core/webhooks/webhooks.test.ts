import { describe, expect, it } from 'vitest';
import { MAX_TRIES, retryDelayMs, succeeded } from './delivery-policy.js';
import { isPrivateAddress, urlProblem } from './endpoint-url.js';
import { orderAcceptedEvents, partnerEvents } from './events.js';

describe('webhook endpoint URLs', () => {
  const strict = { allowPrivate: false, selfOrigins: ['https://trellis.example.com'] };
  it.each([
    ['ftp://hooks.example.com/x', 'must be an http:// or https:// URL, not ftp'],
    ['javascript:alert(1)', 'must be an http:// or https:// URL, not javascript'],
    ['hooks.example.com/x', 'is not a URL'],
    ['https://user:pw@hooks.example.com/x', 'must not carry a user name or password'],
    ['https://trellis.example.com/hook', 'points at this Trellis server itself'],
    ['https://TRELLIS.example.com:443/hook', 'points at this Trellis server itself'],
    ['http://localhost:8080/x', 'points at this machine'],
    ['http://127.0.0.1/x', 'loopback'],
    ['http://0.0.0.0/x', 'loopback'],
    ['http://[::1]/x', 'loopback'],
    ['http://[::ffff:127.0.0.1]/x', 'loopback'],
    ['http://10.0.0.8/x', 'private'],
    ['http://172.16.3.4/x', 'private'],
    ['http://192.168.1.1/x', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://[fd00::1]/x', 'private'],
  ])('refuses %s with its reason', (url, reason) => {
    expect(urlProblem(url, strict)).toContain(reason);
  });

  it('accepts public http(s) URLs, and private ones when allowed (never the server itself)', () => {
    expect(urlProblem('https://hooks.example.com/trellis?x=1', strict)).toBeNull();
    expect(urlProblem('http://203.0.113.7:8080/in', strict)).toBeNull();
    const open = { allowPrivate: true, selfOrigins: ['http://127.0.0.1:3000'] };
    expect(urlProblem('http://127.0.0.1:9999/hook', open)).toBeNull();
    expect(urlProblem('http://127.0.0.1:3000/api/x', open)).toContain('itself');
  });

  it('tells private addresses from public ones', () => {
    for (const a of ['127.0.0.1', '10.1.1.1', '100.64.0.1', '::1', 'fe80::1', '::ffff:7f00:1'])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2001:db8::1', '100.128.0.1'])
      expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('webhook delivery policy', () => {
  it('waits 30 s, then doubles, capped at 6 hours', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30)).toBe(6 * 3600_000);
    expect(MAX_TRIES).toBeGreaterThan(1);
  });
  it('counts only a 2xx as delivered', () => {
    expect([200, 204, 299].every(succeeded)).toBe(true);
    expect([null, 199, 301, 404, 500].some(succeeded)).toBe(false);
  });
});

describe('webhook event audiences', () => {
  it("gives each partner of an order its own copy, without the other partner's id", () => {
    const events = orderAcceptedEvents({
      id: 'ord_1',
      vendorId: 'vnd_1',
      source: 'erp',
      externalId: 'E-1',
      orderDate: '2017-03-01',
      currency: 'USD',
      totalMinor: 100,
      customerId: 'cus_1',
      resellerId: 'ptn_r',
      distributorId: 'ptn_d',
    });
    expect(events.map((e) => e.partnerId)).toEqual([null, 'ptn_r', 'ptn_d']);
    expect(events[0]!.data).toMatchObject({ resellerId: 'ptn_r', distributorId: 'ptn_d' });
    expect(JSON.stringify(events[1])).not.toContain('ptn_d');
    expect(JSON.stringify(events[2])).not.toContain('ptn_r');
    expect(events[2]!.data).toMatchObject({ partnerId: 'ptn_d', role: 'distributor' });
  });
  it('writes a direct order for the vendor only', () => {
    const events = orderAcceptedEvents({
      id: 'ord_2',
      vendorId: 'vnd_1',
      source: 'erp',
      externalId: 'E-2',
      orderDate: '2017-03-01',
      currency: 'USD',
      totalMinor: 100,
      customerId: 'cus_1',
      resellerId: null,
      distributorId: null,
    });
    expect(events.map((e) => e.partnerId)).toEqual([null]);
  });
  it('gives an event about one partner to the vendor and to that partner', () => {
    const events = partnerEvents('offer.made', 'vnd_1', 'ptn_a', {
      offerId: 'ofr_1',
      routedOrderId: 'rto_1',
      partnerId: 'ptn_a',
      deadline: '2017-03-02T00:00:00Z',
    });
    expect(events.map((e) => [e.vendorId, e.partnerId])).toEqual([
      ['vnd_1', null],
      ['vnd_1', 'ptn_a'],
    ]);
  });
});
