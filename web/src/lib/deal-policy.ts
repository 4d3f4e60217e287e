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

/** The latest published version's policy (else the latest version's); null for a program without versions. */
export function dealPolicyOf(program: ProgramDetail): DealPolicyView | null {
  const versions = [...program.versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const published = versions.filter((v) => v.status === 'published');
  const version = published[published.length - 1] ?? versions[versions.length - 1];
  if (!version) return null;
  const { currency, dealRegistration: dr } = version.definition;
  return {
    programId: program.id,
    currency,
    protectionDays: dr.protectionDays,
    extensionDays: dr.extensions.days,
    maxExtensions: dr.extensions.maxCount,
    extensionsOnRequest: dr.extensions.onRequest,
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
