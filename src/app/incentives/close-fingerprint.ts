import { createHash } from 'node:crypto';
import type { PeriodPlan } from '../../core/incentives/plan.js';
import type { PlanLine } from '../../core/incentives/shards.js';

/**
 * What a whole-period close leaves the ledger holding, as a digest: every line of the period with its
 * partner, what it earns per component (non-zero), and what each partner's close items come to per
 * component (non-zero). After a close the engine's holdings equal exactly this (per line and component,
 * per partner and component), so a re-close whose plan has the same fingerprint, on a ledger where nothing
 * was posted for the period since, would post nothing: it need not read the holdings back.
 */
export function closeFingerprint(lines: readonly PlanLine[], plan: PeriodPlan): string {
  const { width, codes, amounts } = plan.accruals;
  const digest = createHash('sha256');
  let chunk = '';
  lines.forEach((line, i) => {
    chunk += `${line.lineId}\u0000${line.partnerId}`;
    for (let c = 0; c < width; c++) {
      const amount = amounts[i * width + c] as number;
      if (amount !== 0) chunk += `\u0000${codes[c] as string}=${amount}`;
    }
    chunk += '\n';
    if (chunk.length > 65_536) {
      digest.update(chunk);
      chunk = '';
    }
  });
  const closeItems = new Map<string, number>();
  for (const p of plan.proposals) {
    const key = `${p.partnerId}\u0000${p.component}`;
    closeItems.set(key, (closeItems.get(key) ?? 0) + p.amountMinor);
  }
  for (const key of [...closeItems.keys()].sort()) {
    const amount = closeItems.get(key) as number;
    if (amount !== 0) chunk += `close\u0000${key}=${amount}\n`;
  }
  digest.update(chunk);
  return digest.digest('base64url');
}
