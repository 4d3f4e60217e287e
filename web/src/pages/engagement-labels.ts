/**
 * The rules of engagement's codes as people read them, in their language: coverage statuses, routing
 * statuses and reasons, routing criteria, partner roles and product families. Every code the API knows is
 * listed in the programs catalogue (`programs.engagement.*`); an unknown one reads as lib/engagement does.
 */
import type { useT } from '../i18n';
import {
  COVERAGE_LABELS,
  CRITERION_LABELS,
  labelOf,
  ROUTING_REASON_LABELS,
  ROUTING_STATUS_LABELS,
} from '../lib/engagement';

type Tf = ReturnType<typeof useT>;

const GROUPS = {
  coverage: COVERAGE_LABELS,
  routingStatus: ROUTING_STATUS_LABELS,
  routingReason: ROUTING_REASON_LABELS,
  criterion: CRITERION_LABELS,
  role: { reseller: 'reseller', distributor: 'distributor' },
  family: {
    servers: 'servers',
    storage: 'storage',
    networking: 'networking',
    'data-protection': 'data-protection',
    services: 'services',
    software: 'software',
  },
} as const satisfies Record<string, Record<string, string>>;

export type EngagementGroup = keyof typeof GROUPS;

/** A code of `group` in the person's language (`programs.engagement.<group>.<code>`). */
export function engagementLabel(t: Tf, group: EngagementGroup, code: string): string {
  const labels: Record<string, string> = GROUPS[group];
  return Object.hasOwn(labels, code) ? t(`programs.engagement.${group}.${code}`) : labelOf(labels, code);
}
