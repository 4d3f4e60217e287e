import type { ProductFamily } from '../model/catalog.js';
import type { ProgramDefinition, ServiceDelivery } from '../programs/types.js';
import { list, message, renderEnglish, type Message } from '../messages/message.js';
import { certificationIndex } from './certifications.js';
import type { PartnerTierFacts } from './types.js';

/** People with an active services certification a partner needs to deliver the vendor's services itself. */
export const SERVICE_DELIVERY_MIN_PEOPLE = 1;

export interface ServiceDeliveryDecision {
  /** The partner may deliver the vendor's services itself (the `partner.deliversServices` fact). */
  readonly mayDeliver: boolean;
  /** `deliver` when it may, else `resell`: it may always resell the vendor's services. */
  readonly mode: 'deliver' | 'resell';
  /** People holding an active `services` certification in the families considered. */
  readonly servicesCertifiedPeople: number;
  readonly families: readonly ProductFamily[];
  /** The program's services-attach components and whether this partner can earn each. */
  readonly components: readonly {
    readonly code: string;
    readonly delivery: ServiceDelivery;
    readonly eligible: boolean;
  }[];
  /** Why, in English (`reasonMessage`'s text). */
  readonly reason: string;
  /** Why, as a message the app translates. */
  readonly reasonMessage: Message;
}

/**
 * Rule: a partner may deliver the vendor's services itself when at least SERVICE_DELIVERY_MIN_PEOPLE
 * person holds an active certification of kind `services` in one of the services families: the
 * families of the program's services-attach components (default `[services]`). Otherwise it must
 * resell them. The partner kind does not change the rule (the articles speak of service providers,
 * but a trained reseller delivers on the same terms). A services-attach component with `delivery:
 * deliver` pays only partners that may deliver; `resell` and `either` pay every partner.
 * People are counted per family and the highest family count is used (a person certified in two
 * families is not counted twice).
 */
export function serviceDelivery(
  program: ProgramDefinition | null,
  facts: Pick<PartnerTierFacts, 'certifications'>,
): ServiceDeliveryDecision {
  const attach = (program?.components ?? []).filter((c) => c.kind === 'services-attach');
  const families = [
    ...new Set<ProductFamily>(attach.flatMap((c) => (c.families.length > 0 ? c.families : ['services']))),
  ];
  if (families.length === 0) families.push('services');
  let people = 0;
  for (const f of families)
    people = Math.max(people, facts.certifications.people[certificationIndex('services', f)] ?? 0);
  const mayDeliver = people >= SERVICE_DELIVERY_MIN_PEOPLE;
  const reasonMessage = mayDeliver
    ? message('tiers.mayDeliver', { count: people, families: list(families) })
    : message('tiers.mustResell', { families: list(families) });
  return {
    mayDeliver,
    mode: mayDeliver ? 'deliver' : 'resell',
    servicesCertifiedPeople: people,
    families,
    components: attach.map((c) => ({
      code: c.code,
      delivery: c.delivery,
      eligible: c.delivery !== 'deliver' || mayDeliver,
    })),
    reason: renderEnglish(reasonMessage),
    reasonMessage,
  };
}
