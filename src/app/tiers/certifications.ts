import type { Scope } from '../../core/access/scope.js';
import { isProductFamily, PRODUCT_FAMILIES } from '../../core/model/catalog.js';
import { CERTIFICATION_KINDS } from '../../core/model/people.js';
import { addDays } from '../../core/programs/dates.js';
import { TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import {
  certificationRepository,
  type CertificationFilter,
  type CertificationSort,
  type NewCertification,
  type TierCertification,
} from '../../db/repositories/certification-repository.js';
import { recordAudit, type AuditInput } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';

/** One certification to record, as the API body or a CSV row gives it (strings, checked here). */
export interface CertificationInput {
  /** The person, by id or by email (one of them; both must then name the same person). */
  personId?: string | undefined;
  email?: string | undefined;
  code: string;
  kind: string;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

/** The input field an error is about (`person` when neither personId nor email was given). */
export type CertificationField =
  'person' | 'personId' | 'email' | 'code' | 'kind' | 'family' | 'earnedOn' | 'expiresOn';

/** Who records: the actor for the audit trail and the scope the policy gave it. */
export interface CertificationWriter {
  actor: AuditInput['actor'];
  /** A vendor scope (the vendor grants the certifications), or the system scope with `vendorId` (CLI). */
  scope: Scope;
  vendorId?: string | undefined;
  requestId?: string | null | undefined;
  /** Where the rows came from, kept in the audit details ("api", "csv:file.csv"). */
  source?: string | undefined;
}

export interface RecordCertificationsOptions {
  /** Where an error is: by default `certifications.<index>.<field>`. */
  locate?: (index: number, field: CertificationField) => string;
  /** How a message names another row (for duplicates): by default `row <index>`. */
  rowLabel?: (index: number) => string;
  /** Called as rows are checked and written, for a progress line. */
  onProgress?: ((phase: 'check' | 'write', done: number, total: number) => void) | undefined;
  /** Check every row, write nothing (the result then has no ids). */
  dryRun?: boolean | undefined;
}

export interface RecordedCertifications {
  vendorId: string;
  ids: string[];
  partners: number;
  people: number;
}

export const MAX_CODE_LENGTH = 64;
const WRITE_CHUNK = 500;

/**
 * Records certifications a vendor granted, all or nothing: each row names a person of a partner enrolled
 * with the vendor (anyone else is an "unknown person", whether or not they exist), a kind, a product
 * family, a grant date and a later expiry, and must not repeat a (person, code) the vendor already
 * granted or another row of the batch. Any bad row refuses the whole batch with every error listed
 * (TrellisError invalid_input, one detail per row and field). The certifications each partner received
 * are audited (one event per partner, listing them) in the transaction that writes them.
 */
export async function recordCertifications(
  ctx: AppContext,
  writer: CertificationWriter,
  rows: readonly CertificationInput[],
  options: RecordCertificationsOptions = {},
): Promise<RecordedCertifications> {
  const vendorId = writingVendor(writer);
  const locate = options.locate ?? ((i, field) => `certifications.${i}.${field}`);
  const rowLabel = options.rowLabel ?? ((i) => `row ${i}`);
  if (rows.length === 0) throw new TrellisError('invalid_input', 'there are no certifications to record');

  const errors: { index: number; detail: ErrorDetail }[] = [];
  const fail = (index: number, field: CertificationField, message: string) =>
    errors.push({ index, detail: { location: locate(index, field), message } });

  // 1. What each row says on its own.
  const clean = rows.map((row, i) => normaliseRow(row, i, fail));

  return ctx.store.db.transaction().execute(async (trx) => {
    const repo = certificationRepository(trx);
    await repo.lockVendor(vendorId);

    // 2. Who each row names: people of partners enrolled with the vendor, inside the writer's scope.
    const ids = clean.flatMap((r) => (r?.personId ? [r.personId] : []));
    const emails = clean.flatMap((r) => (r?.email ? [r.email] : []));
    const certifiable = await repo.certifiablePeople(writer.scope, vendorId, { ids, emails });
    const byId = new Map(certifiable.map((p) => [p.id, p]));
    const byEmail = new Map(certifiable.map((p) => [p.email.toLowerCase(), p]));
    const resolved = clean.map((r, i) => {
      if (!r) return null;
      const viaId = r.personId ? byId.get(r.personId) : undefined;
      const viaEmail = r.email ? byEmail.get(r.email) : undefined;
      if (r.personId && !viaId) {
        fail(i, 'personId', `unknown person ${r.personId}`);
        return null;
      }
      if (r.email && !viaEmail) {
        fail(i, 'email', `unknown person ${r.email}`);
        return null;
      }
      if (viaId && viaEmail && viaId.id !== viaEmail.id) {
        fail(i, 'email', `email ${r.email} is not the email of person ${r.personId}`);
        return null;
      }
      const person = viaId ?? viaEmail;
      return person ? { ...r, personId: person.id, partnerId: person.partnerId } : null;
    });
    options.onProgress?.('check', rows.length, rows.length);

    // 3. No (person, code) twice: neither against what the vendor granted before nor within the batch.
    const held = new Set(
      (
        await repo.existingCodes(
          vendorId,
          resolved.flatMap((r) => (r ? [r.personId] : [])),
        )
      ).map((e) => `${e.personId}\u0000${e.code}`),
    );
    const firstRow = new Map<string, number>();
    resolved.forEach((r, i) => {
      if (!r) return;
      const key = `${r.personId}\u0000${r.code}`;
      if (held.has(key)) {
        fail(i, 'code', `the person already holds certification ${r.code} with this vendor`);
        return;
      }
      const first = firstRow.get(key);
      if (first !== undefined) fail(i, 'code', `same person and code as ${rowLabel(first)}`);
      else firstRow.set(key, i);
    });

    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => e.index)).size;
      throw new TrellisError(
        'invalid_input',
        `${bad} of ${rows.length} certification ${rows.length === 1 ? 'row is' : 'rows are'} invalid; nothing was recorded`,
        errors.sort((a, b) => a.index - b.index).map((e) => e.detail),
      );
    }

    const people = new Set(resolved.map((r) => r?.personId));
    const partners = new Set(resolved.map((r) => r?.partnerId));
    if (options.dryRun) return { vendorId, ids: [], partners: partners.size, people: people.size };

    // 4. Write, and audit in the same transaction.
    const records: NewCertification[] = resolved.map((r) => {
      if (!r) throw new Error('unreachable: a row without errors has a person');
      return {
        id: ctx.ids.next('certification'),
        vendorId,
        partnerId: r.partnerId,
        personId: r.personId,
        code: r.code,
        kind: r.kind,
        family: r.family,
        earnedOn: r.earnedOn,
        expiresOn: r.expiresOn,
      };
    });
    for (let i = 0; i < records.length; i += WRITE_CHUNK) {
      await repo.insertMany(records.slice(i, i + WRITE_CHUNK));
      options.onProgress?.('write', Math.min(i + WRITE_CHUNK, records.length), records.length);
    }
    // One audit event per partner of the batch (a 5,000-row import is not 5,000 events), listing each
    // certification it received.
    const byPartner = new Map<string, NewCertification[]>();
    for (const c of records) {
      const list = byPartner.get(c.partnerId);
      if (list) list.push(c);
      else byPartner.set(c.partnerId, [c]);
    }
    for (const [partnerId, granted] of byPartner) {
      await recordAudit(trx, ctx, {
        actor: writer.actor,
        action: 'certification.record',
        target: {
          type: 'certification',
          id: granted.length === 1 ? (granted[0]?.id ?? null) : null,
          vendorId,
          partnerId,
        },
        after: granted,
        requestId: writer.requestId ?? null,
        detail: {
          source: writer.source ?? 'api',
          count: granted.length,
          certifications: granted.map((c) => ({
            id: c.id,
            personId: c.personId,
            code: c.code,
            kind: c.kind,
            family: c.family,
            earnedOn: c.earnedOn,
            expiresOn: c.expiresOn,
          })),
        },
      });
    }
    return { vendorId, ids: records.map((r) => r.id), partners: partners.size, people: people.size };
  });
}

function writingVendor(writer: CertificationWriter): string {
  switch (writer.scope.kind) {
    case 'vendor':
      return writer.scope.vendorId;
    case 'system':
      if (!writer.vendorId)
        throw new TrellisError('invalid_input', 'name the vendor that granted the certifications');
      return writer.vendorId;
    case 'partner':
      throw new TrellisError('forbidden', 'only a vendor records the certifications it granted');
  }
}

interface CleanRow {
  personId: string | undefined;
  email: string | undefined;
  code: string;
  kind: string;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

/** The checks a row passes on its own; null (with its errors reported) when it fails any. */
function normaliseRow(
  row: CertificationInput,
  i: number,
  fail: (index: number, field: CertificationField, message: string) => void,
): CleanRow | null {
  const state = { ok: true };
  const bad = (field: CertificationField, message: string) => {
    fail(i, field, message);
    state.ok = false;
  };
  const personId = row.personId?.trim() || undefined;
  const email = row.email?.trim().toLowerCase() || undefined;
  if (!personId && !email) bad('person', 'give the person by person_id or email');
  const code = (row.code ?? '').trim();
  if (!code) bad('code', 'the certification code is missing');
  else if (code.length > MAX_CODE_LENGTH)
    bad('code', `the code is longer than ${MAX_CODE_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(code)) bad('code', 'the code contains control characters');
  const kind = (row.kind ?? '').trim().toLowerCase();
  if (!(CERTIFICATION_KINDS as readonly string[]).includes(kind))
    bad('kind', `kind "${row.kind ?? ''}" is not one of ${CERTIFICATION_KINDS.join(', ')}`);
  const family = (row.family ?? '').trim().toLowerCase();
  if (!isProductFamily(family))
    bad('family', `family "${row.family ?? ''}" is not a product family (${PRODUCT_FAMILIES.join(', ')})`);
  const earnedOn = (row.earnedOn ?? '').trim();
  const expiresOn = (row.expiresOn ?? '').trim();
  const earnedOk = isIsoDate(earnedOn);
  const expiresOk = isIsoDate(expiresOn);
  if (!earnedOk) bad('earnedOn', `grant date "${earnedOn}" is not a date (YYYY-MM-DD)`);
  if (!expiresOk) bad('expiresOn', `expiry date "${expiresOn}" is not a date (YYYY-MM-DD)`);
  if (earnedOk && expiresOk && expiresOn < earnedOn)
    bad('expiresOn', `expiry before the grant date: expires ${expiresOn}, earned ${earnedOn}`);
  else if (earnedOk && expiresOk && expiresOn === earnedOn)
    bad(
      'expiresOn',
      `expiry on the grant date (${earnedOn}): a certification must expire after it is earned`,
    );
  return state.ok ? { personId, email, code, kind, family, earnedOn, expiresOn } : null;
}

/** A real calendar day written YYYY-MM-DD (2017-02-30 is not). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Certifications the caller may see: a vendor those it granted, a partner those of its people. */
export function listCertifications(
  ctx: AppContext,
  scope: Scope,
  filter: CertificationFilter,
  page: PageParams<CertificationSort>,
) {
  return paged(page, (request) => certificationRepository(ctx.store.db).list(scope, filter, request));
}

export const DEFAULT_EXPIRY_WINDOW_DAYS = 60;

/**
 * The expiry feed: certifications still active on `asOf` (default today, UTC) that lapse within
 * `withinDays` (asOf < expiresOn <= asOf + withinDays), soonest first by default, with the days left.
 * Already expired ones are not listed.
 */
export async function expiringCertifications(
  ctx: AppContext,
  scope: Scope,
  options: {
    withinDays?: number | undefined;
    asOf?: string | undefined;
    filter?: Omit<CertificationFilter, 'expiringBefore' | 'expiresAfter'>;
  },
  page: PageParams<CertificationSort>,
) {
  const withinDays = options.withinDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const asOf = options.asOf ?? ctx.clock.now().toISOString().slice(0, 10);
  const result = await listCertifications(
    ctx,
    scope,
    { ...options.filter, expiresAfter: asOf, expiringBefore: addDays(asOf, withinDays + 1) },
    page,
  );
  return {
    asOf,
    withinDays,
    ...result,
    items: result.items.map((c) => ({ ...c, daysLeft: daysBetween(asOf, c.expiresOn) })),
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * For tier evaluation: each partner's certifications with the vendor active on `asOf`, in the shape the
 * engine's `deriveCertificationFacts` takes.
 */
export function certificationsForTiers(
  ctx: AppContext,
  scope: Scope,
  vendorId: string,
  asOf: string,
  partnerIds?: readonly string[],
): Promise<Map<string, TierCertification[]>> {
  return certificationRepository(ctx.store.db).forTierFacts(scope, vendorId, asOf, { partnerIds });
}
