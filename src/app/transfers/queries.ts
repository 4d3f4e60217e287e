import type { Scope } from '../../core/access/scope.js';
import type { Message } from '../../core/messages/message.js';
import { notFound } from '../../core/shared/errors.js';
import type { Difference, FamilyRates, NotCarried } from '../../core/transfers/index.js';
import {
  transferRepository,
  type TransferRow,
  type TransferSort,
} from '../../db/repositories/transfer-repository.js';
import type { AppContext } from '../context.js';
import { paged, type CursorPage, type PageParams } from '../pagination.js';

export interface TransferView {
  id: string;
  kind: 'split' | 'merge';
  status: string;
  sourceProgramIds: string[];
  targetVendorId: string;
  targetProgramId: string;
  onDay: string;
  checkDay: string;
  tierMap: Record<string, unknown>;
  grandfatherUntil: string | null;
  counts: {
    partners: number;
    enrolments: number;
    memberships: number;
    certifications: number;
    notCarried: number;
    differences: number;
  };
  parties: { vendorId: string; role: string }[];
  startedBy: string;
  jobId: string | null;
  createdAt: string;
}

export interface TransferPartnerView {
  partnerId: string;
  partnerName: string;
  sourceTier: string;
  promisedTier: string;
  heldTier: string | null;
  enrolled: boolean;
  membershipId: string | null;
  certifications: number;
  ok: boolean;
  accepted: boolean;
  rates: FamilyRates[];
  differences: (Omit<Difference, 'sentenceMessage'> & { sentenceMessage: Message | null })[];
  notCarried: (Omit<NotCarried, 'whyMessage'> & { whyMessage: Message | null })[];
}

export function transferView(row: TransferRow, parties: { vendorId: string; role: string }[]): TransferView {
  return {
    id: row.id,
    kind: row.kind as TransferView['kind'],
    status: row.status,
    sourceProgramIds: JSON.parse(row.sourceProgramIds) as string[],
    targetVendorId: row.targetVendorId,
    targetProgramId: row.targetProgramId,
    onDay: row.onDay,
    checkDay: row.checkDay,
    tierMap: JSON.parse(row.tierMap) as Record<string, unknown>,
    grandfatherUntil: row.grandfatherUntil,
    counts: {
      partners: row.partners,
      enrolments: row.enrolments,
      memberships: row.memberships,
      certifications: row.certifications,
      notCarried: row.notCarried,
      differences: row.differences,
    },
    parties,
    startedBy: row.startedBy,
    jobId: row.jobId,
    createdAt: row.createdAt,
  };
}

/** Transfers the caller's vendor is party to (source or target), newest first by default. */
export async function listTransfers(
  ctx: AppContext,
  scope: Scope,
  filter: { kind?: string | undefined; program?: string | undefined },
  page: PageParams<TransferSort>,
): Promise<CursorPage<TransferView>> {
  const repo = transferRepository(ctx.store.db);
  const result = await paged(page, (req) => repo.list(scope, filter, req));
  const items: TransferView[] = [];
  for (const row of result.items)
    items.push(
      transferView(
        row,
        (await repo.parties(row.id)).map(({ vendorId, role }) => ({ vendorId, role })),
      ),
    );
  return { items, nextCursor: result.nextCursor };
}

/** One transfer with its per-partner check, for the readers of any vendor it concerns. */
export async function getTransfer(
  ctx: AppContext,
  scope: Scope,
  id: string,
  filter: { ok?: boolean | undefined } = {},
): Promise<TransferView & { partners: TransferPartnerView[] }> {
  const repo = transferRepository(ctx.store.db);
  const row = await repo.get(scope, id);
  if (!row) throw notFound('program transfer', id);
  const parties = (await repo.parties(row.id)).map(({ vendorId, role }) => ({ vendorId, role }));
  const partners = (await repo.partners(scope, row.id, filter)).map((p) => {
    const check = JSON.parse(p.check) as { rates: FamilyRates[]; differences: Difference[] };
    const detail = JSON.parse(p.detail) as { notCarried: NotCarried[] };
    return {
      partnerId: p.partnerId,
      partnerName: p.partnerName,
      sourceTier: p.sourceTier,
      promisedTier: p.promisedTier,
      heldTier: p.heldTier,
      enrolled: p.enrolled === 1,
      membershipId: p.membershipId,
      certifications: p.certifications,
      ok: p.ok === 1,
      accepted: p.accepted === 1,
      rates: check.rates,
      differences: check.differences.map((d) => ({ ...d, sentenceMessage: d.sentenceMessage ?? null })),
      notCarried: detail.notCarried.map((n) => ({ ...n, whyMessage: n.whyMessage ?? null })),
    };
  });
  return { ...transferView(row, parties), partners };
}
