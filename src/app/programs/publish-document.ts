import { seedNamedAccounts } from '../engagement/named-accounts.js';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AgreementDefinition, ProgramDefinition } from '../../core/programs/types.js';
import { parseProgramDocument } from '../../core/programs/parse.js';
import { TrellisError } from '../../core/shared/errors.js';
import type { Clock } from '../../core/shared/clock.js';
import type { IdGenerator } from '../../core/shared/ids.js';
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
  const vendors = vendorRepository(db);
  const parties: { vendorId: string; role: string }[] = [];
  for (const party of doc.parties) {
    const vendor = await vendors.findBySlug(party.vendor);
    if (!vendor)
      throw new TrellisError(
        'invalid_input',
        `agreement ${doc.code} names vendor "${party.vendor}", which has no published program yet; publish its program first`,
      );
    parties.push({ vendorId: vendor.id, role: party.role });
  }
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
    parties,
  );
  return { kind: 'agreement', status: 'published', agreementId: id, document: doc };
}
