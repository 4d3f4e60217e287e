import type { Actor } from './actor.js';
import { authorize, type Permission } from './policy.js';
import type { Scope } from './scope.js';

/**
 * What a person (or a token) may do, in the words of the app: each capability is the permission the routes
 * behind it declare, asked of the one policy (`authorize()`), and for some a rule of the use case on the
 * scope. GET /api/me answers them as `can`, so the web app offers what the API will allow and never
 * mirrors the policy.
 */
interface CapabilityRule {
  readonly description: string;
  readonly permission: Permission;
  /** A use case's rule on the scope the policy grants, beyond the role (see the use case it names). */
  readonly scope?: (scope: Scope) => boolean;
}

/**
 * A simulation replays the vendor's whole history: only people with the whole vendor in view run one
 * (`prepareSimulation`, src/app/simulation/simulate.ts).
 */
export function seesWholeVendor(scope: Scope): boolean {
  return scope.kind === 'vendor' && scope.regions.length === 0;
}

export const CAPABILITIES = {
  readVendorBooks: {
    description:
      "The vendor's books: period closes, budget pools, and the vendor's view of statements and disputes.",
    permission: { resource: 'close', action: 'read' },
  },
  closePeriods: {
    description: 'Close a period (and its dry run).',
    permission: { resource: 'close', action: 'write' },
  },
  readSettlement: {
    description: 'Read statements and disputes (a partner its own).',
    permission: { resource: 'statement', action: 'read' },
  },
  manageSettlement: {
    description: 'Issue, approve and pay statements.',
    permission: { resource: 'statement', action: 'write' },
  },
  choosePayoutCurrency: {
    description:
      "Choose the currency a partner is paid in under a program (among the program's payout currencies).",
    permission: { resource: 'partner', action: 'manage' },
  },
  openDisputes: {
    description: "Open a dispute on a line of one's own statement.",
    permission: { resource: 'dispute', action: 'write' },
  },
  decideDisputes: {
    description: 'Accept or reject disputes.',
    permission: { resource: 'dispute', action: 'manage' },
  },
  registerDeals: {
    description: 'Register deals and follow them.',
    permission: { resource: 'deal', action: 'write' },
  },
  reviewDeals: {
    description: 'Review deal registrations and work the abuse queue.',
    permission: { resource: 'deal', action: 'manage' },
  },
  readEngagement: {
    description: 'Coverage, the direct-named list and the routing log of the vendor.',
    permission: { resource: 'routing', action: 'read' },
  },
  manageNamedAccounts: {
    description: 'Add and remove direct-named accounts.',
    permission: { resource: 'named-account', action: 'manage' },
  },
  rebuildCoverage: {
    description: "Recompute who sold to whom and every account's coverage from the vendor's stored orders.",
    permission: { resource: 'coverage', action: 'manage' },
  },
  sweepOffers: {
    description: 'Lapse the routed offers past their deadline now.',
    permission: { resource: 'routing', action: 'manage' },
  },
  answerOffers: {
    description: "The offers inbox (accept, decline) and the partner's own accounts.",
    permission: { resource: 'offer', action: 'write' },
  },
  readAgreements: {
    description: "Vendor agreements (a party's, or those binding one's programs).",
    permission: { resource: 'agreement', action: 'read' },
  },
  manageAgreements: {
    description: "Give notice of termination of an agreement (a party's admins).",
    permission: { resource: 'agreement', action: 'manage' },
  },
  readTransfers: {
    description: "Program transfers (splits, merges) of one's vendor.",
    permission: { resource: 'transfer', action: 'read' },
  },
  simulate: {
    description: 'Run and read simulations of draft programs.',
    permission: { resource: 'simulation', action: 'write' },
    scope: seesWholeVendor,
  },
  writeOrders: {
    description: 'Post orders and import them.',
    permission: { resource: 'order', action: 'write' },
  },
  writeProducts: {
    description: 'Add products to the catalogue.',
    permission: { resource: 'product', action: 'write' },
  },
  writeCertifications: {
    description: 'Grant and import certifications.',
    permission: { resource: 'certification', action: 'write' },
  },
  manageMemberships: {
    description: 'Run tier evaluations and grant statuses.',
    permission: { resource: 'membership', action: 'manage' },
  },
  readAudit: {
    description: 'Read the audit trail.',
    permission: { resource: 'audit', action: 'read' },
  },
  manageTokens: {
    description: 'Create and revoke API tokens.',
    permission: { resource: 'token', action: 'manage' },
  },
  manageSso: {
    description: "Configure the organisation's single sign-on (its OpenID Connect provider).",
    permission: { resource: 'sso', action: 'manage' },
  },
  readMdf: {
    description: 'Market development funds: activities, claims and fund balances (a partner its own).',
    permission: { resource: 'mdf', action: 'read' },
  },
  proposeMdf: {
    description: "Propose, claim, withdraw and link one's market development activities.",
    permission: { resource: 'mdf', action: 'write' },
  },
  decideMdf: {
    description: 'Pre-approve or refuse MDF activities, approve or reject their claims.',
    permission: { resource: 'mdf', action: 'manage' },
  },
  runMdfExpiry: {
    description: "Run a program's MDF expiry (lapse activities past their deadline, post expired funds).",
    permission: { resource: 'mdf', action: 'manage' },
    scope: seesWholeVendor,
  },
  manageWebhooks: {
    description: "Register webhook endpoints for one's vendor or partner, read their deliveries, redeliver.",
    permission: { resource: 'webhook', action: 'manage' },
  },
  uploadFiles: {
    description: "Upload files (proof of MDF claims) for one's vendor or partner.",
    permission: { resource: 'file', action: 'write' },
  },
  readRates: {
    description: "The vendor's exchange rates by day, and the conversion tool.",
    permission: { resource: 'exchange-rate', action: 'read' },
  },
  loadRates: {
    description: 'Load exchange rates (a file or the API) and replace a rate.',
    permission: { resource: 'exchange-rate', action: 'write' },
  },
} as const satisfies Record<string, CapabilityRule>;

export type Capability = keyof typeof CAPABILITIES;
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[];
export type Capabilities = Record<Capability, boolean>;
export const CAPABILITY_DESCRIPTIONS = Object.fromEntries(
  CAPABILITY_NAMES.map((name) => [name, CAPABILITIES[name].description]),
) as Record<Capability, string>;

/** Every capability of `actor`, each decided by `authorize()` (and the use case's scope rule, if any). */
export function capabilitiesOf(actor: Actor): Capabilities {
  const can = {} as Capabilities;
  for (const name of CAPABILITY_NAMES) {
    const rule: CapabilityRule = CAPABILITIES[name];
    const decision = authorize(actor, rule.permission);
    can[name] = decision.allowed && (rule.scope ? rule.scope(decision.scope) : true);
  }
  return can;
}
