/** What the web app reads from a program's deal-registration policy (GET /api/programs/{id}). */
import type { ProgramDetail } from '../pages/types';

export interface DealPolicyView {
  readonly programId: string;
  readonly currency: string;
  readonly protectionDays: number | null;
  readonly extensionDays: number | null;
  readonly maxExtensions: number | null;
  readonly extensionsOnRequest: boolean;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The latest published version's policy (else the latest version's); null without a deal-registration section. */
export function dealPolicyOf(program: ProgramDetail): DealPolicyView | null {
  const versions = [...program.versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const published = versions.filter((v) => v.status === 'published');
  const version = published[published.length - 1] ?? versions[versions.length - 1];
  if (!version) return null;
  const def = (version.definition ?? {}) as Record<string, unknown>;
  const dr = def.dealRegistration as Record<string, unknown> | undefined;
  if (!dr || typeof dr !== 'object') return null;
  const ext = (dr.extensions ?? {}) as Record<string, unknown>;
  return {
    programId: program.id,
    currency: typeof def.currency === 'string' ? def.currency : 'USD',
    protectionDays: num(dr.protectionDays),
    extensionDays: num(ext.days),
    maxExtensions: num(ext.maxCount),
    extensionsOnRequest: ext.onRequest !== false,
  };
}

/**
 * Whether the partner may still ask for an extension, and if not, why (the page says it next to the
 * disabled button, `deals.detail.*`).
 */
export function extensionAllowed(
  policy: DealPolicyView | null,
  deal: { extensionsGranted: number; extensionRequestedAt: string | null },
):
  | { allowed: true; remaining: number | null }
  | { allowed: false; reason: 'pending' | 'none' | 'used'; max: number | null } {
  if (deal.extensionRequestedAt) return { allowed: false, reason: 'pending', max: null };
  if (policy && !policy.extensionsOnRequest) return { allowed: false, reason: 'none', max: null };
  if (policy?.maxExtensions != null && deal.extensionsGranted >= policy.maxExtensions)
    return { allowed: false, reason: 'used', max: policy.maxExtensions };
  return {
    allowed: true,
    remaining: policy?.maxExtensions != null ? policy.maxExtensions - deal.extensionsGranted : null,
  };
}
