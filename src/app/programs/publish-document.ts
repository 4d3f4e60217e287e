import { seedNamedAccounts } from '../engagement/named-accounts.js';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AgreementDefinition, ProgramDefinition } from '../../core/programs/types.js';
import { parseProgramDocument } from '../../core/programs/parse.js';
import { TrellisError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import type { ExplainKey } from '../../core/messages/en.js';
import {
  day,
  message,
  optional,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../../core/messages/message.js';
import type { Database } from '../../db/schema.js';
import { agreementRepository } from '../../db/repositories/agreement-repository.js';
import { programRepository } from '../../db/repositories/program-repository.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';

export type PublishOutcome =
  | {
      kind: 'program';
      status: 'published' | 'unchanged';
      vendorId: string;
      programId: string;
      versionId: string;
      document: ProgramDefinition;
    }
  | {
      kind: 'agreement';
      status: 'published' | 'unchanged';
      agreementId: string;
      document: AgreementDefinition;
    };

const OPEN_END = '9999-12-31';

/**
 * Publishes a program or agreement file: validates it, then registers the vendor (first time), the
 * program and this version with its tiers. Publishing the same text twice is a no-op; publishing other
 * text under an existing version is a conflict (versions are immutable; publish a new version instead).
 * Runs on the given handle so callers decide the transaction.
 */
export async function publishDocument(
  db: Kysely<Database>,
  deps: { clock: Clock; ids: IdGenerator },
  text: string,
  file: string,
): Promise<PublishOutcome> {
  const parsed = parseProgramDocument(text, file);
  if (!parsed.ok) {
    throw new TrellisError(
      'invalid_input',
      `${file} is not a valid program file (${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'})`,
      parsed.errors.map((e) => ({ location: `${e.file}:${e.line}:${e.column}`, message: e.message })),
    );
  }
  const hash = createHash('sha256').update(text).digest('hex');
  const now = deps.clock.now().toISOString();
  const doc = parsed.document;
  if (doc.kind === 'Program') return publishProgram(db, deps, doc, text, hash, now);
  return publishAgreement(db, deps, doc, text, hash, now);
}

async function publishProgram(
  db: Kysely<Database>,
  deps: { ids: IdGenerator },
  doc: ProgramDefinition,
  text: string,
  hash: string,
  now: string,
): Promise<PublishOutcome> {
  const vendors = vendorRepository(db);
  const programs = programRepository(db);
  let vendor = await vendors.findBySlug(doc.vendor.slug);
  if (!vendor) {
    vendor = {
      id: deps.ids.next('vendor'),
      slug: doc.vendor.slug,
      name: doc.vendor.name,
      currency: doc.vendor.currency,
      createdAt: now,
    };
    await vendors.insert(vendor);
  }
  let program = await programs.findByVendorAndCode(vendor.id, doc.code);
  if (!program) {
    program = {
      id: deps.ids.next('program'),
      vendorId: vendor.id,
      code: doc.code,
      name: doc.name,
      createdAt: now,
    };
    await programs.insertProgram(program);
  }
  const existing = await programs.findVersion(program.id, doc.version);
  if (existing) {
    if (existing.sourceHash !== hash) {
      throw new TrellisError(
        'conflict',
        `program ${doc.code} version ${doc.version} is already published with other content; give the new text a new version`,
      );
    }
    return {
      kind: 'program',
      status: 'unchanged',
      vendorId: vendor.id,
      programId: program.id,
      versionId: existing.id,
      document: doc,
    };
  }
  const versionId = deps.ids.next('programVersion');
  await programs.insertVersion({
    id: versionId,
    vendorId: vendor.id,
    programId: program.id,
    version: doc.version,
    status: 'published',
    effectiveFrom: doc.effective.from,
    effectiveTo: doc.effective.to ?? OPEN_END,
    definition: doc,
    source: text,
    sourceHash: hash,
    publishedAt: now,
    createdAt: now,
    tiers: [
      // Ranks leave room between tiers: an invitation-only status ranks just above its base tier.
      ...doc.tiers.map((t, i) => ({ code: t.code, name: t.name, rank: i * 10, invitationOnly: false })),
      ...doc.statuses
        .filter((s) => !doc.tiers.some((t) => t.code === s.code))
        .map((s) => {
          const base = doc.tiers.findIndex((t) => t.code === s.baseTier);
          return { code: s.code, name: s.name, rank: base * 10 + 5, invitationOnly: s.invitationOnly };
        }),
    ],
  });
  // The program file's direct-named accounts join the vendor's managed list (issue 11).
  await seedNamedAccounts(db, deps.ids, vendor.id, doc, now);
  return {
    kind: 'program',
    status: 'published',
    vendorId: vendor.id,
    programId: program.id,
    versionId,
    document: doc,
  };
}

async function publishAgreement(
  db: Kysely<Database>,
  deps: { ids: IdGenerator },
  doc: AgreementDefinition,
  text: string,
  hash: string,
  now: string,
): Promise<PublishOutcome> {
  const agreements = agreementRepository(db);
  const existing = await agreements.findByCode(doc.code);
  if (existing) {
    if (existing.sourceHash !== hash)
      throw new TrellisError('conflict', `agreement ${doc.code} is already published with other content`);
    return { kind: 'agreement', status: 'unchanged', agreementId: existing.id, document: doc };
  }
  // Every check first, so a refused agreement writes nothing.
  const resolved = await resolveAgreementParties(db, doc);
  const id = deps.ids.next('agreement');
  await agreements.insert(
    {
      id,
      code: doc.code,
      name: doc.name,
      effectiveFrom: doc.effective.from,
      effectiveTo: doc.effective.to ?? OPEN_END,
      definition: JSON.stringify(doc),
      source: text,
      sourceHash: hash,
      createdAt: now,
    },
    resolved.map((p) => ({ vendorId: p.vendorId, role: p.role })),
  );
  await agreements.insertPrograms(
    resolved.flatMap((p) =>
      p.programIds.map((programId) => ({ agreementId: id, vendorId: p.vendorId, programId })),
    ),
  );
  const published = publishedMessage(
    doc.name,
    doc.effective,
    doc.parties.map((p) => p.name),
  );
  await agreements.appendEvent({
    id: deps.ids.next('agreementEvent'),
    agreementId: id,
    kind: 'published',
    vendorId: null,
    actorId: null,
    onDay: doc.effective.from,
    sentence: renderEnglish(published),
    detail: JSON.stringify({ code: doc.code, sourceHash: hash, message: published }),
    at: now,
  });
  // A termination the file records is the agreement's notice (its one notice: see the life cycle).
  for (const e of doc.termination.events) {
    const party = resolved.find((p) => p.slug === e.by);
    if (!party) continue;
    const notice = noticeMessage(party.name, e.reason, e.date, e.effective);
    await agreements.insertNotice({
      agreementId: id,
      byVendorId: party.vendorId,
      reason: e.reason,
      noticeDate: e.date,
      effectiveDate: e.effective,
      note: e.note,
      source: 'file',
      givenBy: null,
      createdAt: now,
    });
    await agreements.appendEvent({
      id: deps.ids.next('agreementEvent'),
      agreementId: id,
      kind: 'notice',
      vendorId: party.vendorId,
      actorId: null,
      onDay: e.date,
      sentence: renderEnglish(notice),
      detail: JSON.stringify({
        reason: e.reason,
        noticeDate: e.date,
        effectiveDate: e.effective,
        note: e.note,
        source: 'file',
        message: notice,
      }),
      at: now,
    });
  }
  return { kind: 'agreement', status: 'published', agreementId: id, document: doc };
}

const NOTICE_REASON_KEYS = {
  'change-of-control': 'agreements.reason.changeOfControl',
  convenience: 'agreements.reason.convenience',
  breach: 'agreements.reason.breach',
  mutual: 'agreements.reason.mutual',
} as const satisfies Record<string, ExplainKey>;

/** The sentence of a notice in the agreement's history, as a message the app translates. */
export function noticeMessage(
  party: string,
  reason: string,
  noticeDate: string,
  effectiveDate: string,
): Message {
  const key = Object.hasOwn(NOTICE_REASON_KEYS, reason)
    ? NOTICE_REASON_KEYS[reason as keyof typeof NOTICE_REASON_KEYS]
    : null;
  return message('agreements.notice', {
    party,
    noticeDate: day(noticeDate),
    reason: key ? { message: message(key) } : reason,
    effectiveDate: day(effectiveDate),
  });
}

/** `noticeMessage` in English. */
export function noticeSentence(
  party: string,
  reason: string,
  noticeDate: string,
  effectiveDate: string,
): string {
  return renderEnglish(noticeMessage(party, reason, noticeDate, effectiveDate));
}

/** The sentence of an agreement's publication in its history ("A and B and C" for its parties). */
export function publishedMessage(
  name: string,
  effective: { readonly from: string; readonly to: string | null },
  parties: readonly string[],
): Message {
  const joined = parties.reduceRight<MessageValue | null>(
    (rest, p) => (rest === null ? p : { message: message('agreements.and', { a: p, b: rest }) }),
    null,
  );
  return message('agreements.published', {
    name,
    from: day(effective.from),
    to: optional(effective.to ? message('agreements.publishedTo', { day: day(effective.to) }) : null),
    parties: joined ?? '',
  });
}

/**
 * The checks an agreement needs the database for, each refused with its reason and where: every party's
 * vendor exists, every bound program exists and is that party's, and no other agreement between the same
 * parties overlaps it with other terms. Returns the parties resolved to ids.
 */
async function resolveAgreementParties(
  db: Kysely<Database>,
  doc: AgreementDefinition,
): Promise<{ slug: string; name: string; vendorId: string; role: string; programIds: string[] }[]> {
  const vendors = vendorRepository(db);
  const programs = programRepository(db);
  const problems: { location: string; message: string }[] = [];
  const resolved: { slug: string; name: string; vendorId: string; role: string; programIds: string[] }[] = [];
  for (const [i, party] of doc.parties.entries()) {
    const vendor = await vendors.findBySlug(party.vendor);
    if (!vendor) {
      problems.push({
        location: `parties[${i}].vendor`,
        message: `vendor "${party.vendor}" does not exist (publish its program first)`,
      });
      continue;
    }
    const programIds: string[] = [];
    for (const [j, code] of party.programs.entries()) {
      const owned = await programs.withCode(code);
      const own = owned.find((p) => p.vendorId === vendor.id);
      if (own) programIds.push(own.id);
      else
        problems.push({
          location: `parties[${i}].programs[${j}]`,
          message:
            owned.length > 0
              ? `program ${code} is not ${party.vendor}'s: a party binds only its own programs`
              : `program ${code} of ${party.vendor} does not exist`,
        });
    }
    resolved.push({
      slug: party.vendor,
      name: party.name,
      vendorId: vendor.id,
      role: party.role,
      programIds,
    });
  }
  if (problems.length === 0) {
    const ids = resolved.map((p) => p.vendorId).sort();
    const others = await agreementRepository(db).withParties(ids);
    const to = doc.effective.to ?? OPEN_END;
    for (const other of others) {
      if (other.effectiveFrom > to || other.effectiveTo < doc.effective.from) continue;
      const theirs = JSON.parse(other.definition) as AgreementDefinition;
      if (sameTerms(theirs, doc)) continue;
      problems.push({
        location: 'effective',
        message: `overlaps agreement ${other.code} between the same parties (${other.effectiveFrom} to ${other.effectiveTo}) with other terms; end one before the other starts, or give both the same terms`,
      });
    }
    if (problems.length > 0)
      throw new TrellisError('conflict', `agreement ${doc.code} contradicts an agreement in force`, problems);
  }
  if (problems.length > 0)
    throw new TrellisError(
      'invalid_input',
      `agreement ${doc.code} names ${problems.length === 1 ? 'something' : 'things'} that do not exist`,
      problems,
    );
  return resolved;
}

/** Two agreements say the same thing when their provisions and termination clauses are equal. */
function sameTerms(a: AgreementDefinition, b: AgreementDefinition): boolean {
  const terms = (d: AgreementDefinition) =>
    JSON.stringify({
      provisions: d.provisions,
      noticeDays: d.termination.noticeDays,
      changeOfControl: d.termination.changeOfControl.allowsTermination,
      convenience: d.termination.convenience.allowsTermination,
    });
  return terms(a) === terms(b);
}
