/** Prefixed ids, as in logs and URLs: ptn_..., prg_... */
export const ID_PREFIXES = {
  vendor: 'vnd',
  program: 'prg',
  programVersion: 'prv',
  tier: 'tier',
  partner: 'ptn',
  enrolment: 'enr',
  person: 'per',
  certification: 'crt',
  product: 'prd',
  customer: 'cus',
  order: 'ord',
  orderLine: 'oln',
  membership: 'mbr',
  agreement: 'agr',
  request: 'req',
  roleGrant: 'rgr',
  session: 'ses',
  apiToken: 'tok',
  ssoConfig: 'sso',
  auditEvent: 'aud',
  ledgerTransaction: 'ltx',
  ledgerEntry: 'len',
  periodClose: 'pcl',
  statement: 'stm',
  statementLine: 'sln',
  dispute: 'dsp',
  job: 'job',
  deal: 'deal',
  dealLine: 'dln',
  dealEvent: 'dev',
  dealConflict: 'dcf',
  dealFlag: 'dfl',
  coverageEvent: 'cev',
  namedAccount: 'dna',
  routedOrder: 'rto',
  offer: 'ofr',
  agreementEvent: 'aev',
  agreementReward: 'arw',
  transfer: 'xfr',
  transferPartner: 'xfp',
  simulation: 'sim',
  notification: 'ntf',
  webhookEndpoint: 'whe',
  webhookEvent: 'evt',
  webhookDelivery: 'whd',
  webhookAttempt: 'wha',
  mdfActivity: 'mdf',
  mdfEvent: 'mde',
  storedFile: 'fil',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/** The only way core and app code make ids; inject a seeded one for deterministic output. */
export interface IdGenerator {
  next(kind: IdKind): string;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encode(n: number, width: number): string {
  let out = '';
  let v = n;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return out;
}

/**
 * Time-ordered ids (48-bit millisecond time + 40 random bits), so B-tree inserts stay near the end.
 * `random` returns a float in [0, 1); pass a seeded one in tests.
 */
export function timeOrderedIds(now: () => number, random: () => number): IdGenerator {
  return {
    next(kind) {
      const r = Math.floor(random() * 2 ** 20) * 2 ** 20 + Math.floor(random() * 2 ** 20);
      return `${ID_PREFIXES[kind]}_${encode(now(), 10)}${encode(r, 8)}`;
    },
  };
}

/** Deterministic ids from a counter per kind and a namespace: `ptn_<ns><counter>`. Used by the demo. */
export function sequentialIds(namespace: string): IdGenerator & { peek(kind: IdKind): number } {
  const counters = new Map<IdKind, number>();
  return {
    next(kind) {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      return `${ID_PREFIXES[kind]}_${namespace}${encode(n, 8)}`;
    },
    peek: (kind) => counters.get(kind) ?? 0,
  };
}

const ID_SHAPE = /^([a-z]+)_[0-9a-z]{4,40}$/;

/** True if `id` looks like an id of that kind (used to reject malformed ids with a 400/404 early). */
export function isIdOf(kind: IdKind, id: string): boolean {
  const m = ID_SHAPE.exec(id);
  return m !== null && m[1] === ID_PREFIXES[kind];
}
