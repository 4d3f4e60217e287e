import type { ColumnType } from 'kysely';

/**
 * The database schema as Kysely sees it (camelCase via CamelCasePlugin; snake_case in SQL).
 * Conventions, identical on SQLite and PostgreSQL:
 * - ids are prefixed text (`ptn_...`); money is a 64-bit integer of minor units next to a currency column;
 * - times are ISO-8601 UTC text (`2017-02-01T00:00:00.000Z`), calendar dates `YYYY-MM-DD` text: both sort;
 * - booleans are integers 0/1; JSON documents are text.
 * Every row that belongs to a vendor carries vendor_id; every row that belongs to a partner carries partner_id.
 */
export type Int64 = ColumnType<number, number, number>;
export type Flag = ColumnType<number, number, number>;

export interface VendorsTable {
  id: string;
  slug: string;
  name: string;
  currency: string;
  createdAt: string;
}

export interface ProgramsTable {
  id: string;
  vendorId: string;
  code: string;
  name: string;
  createdAt: string;
}

export interface ProgramVersionsTable {
  id: string;
  vendorId: string;
  programId: string;
  version: string;
  status: string;
  effectiveFrom: string;
  effectiveTo: string;
  /** The parsed, normalised definition (JSON). */
  definition: string;
  /** The YAML as published, for audit and diff. */
  source: string;
  sourceHash: string;
  publishedAt: string | null;
  createdAt: string;
}

export interface ProgramTiersTable {
  programVersionId: string;
  vendorId: string;
  code: string;
  name: string;
  rank: number;
  invitationOnly: Flag;
}

export interface PartnersTable {
  id: string;
  name: string;
  kind: string;
  country: string;
  region: string;
  domain: string | null;
  createdAt: string;
  /** The vendor this partner record stands for when a vendor acts as a distributor; null otherwise. */
  representsVendorId: string | null;
}

export interface EnrolmentsTable {
  id: string;
  vendorId: string;
  programId: string;
  partnerId: string;
  partnerNumber: string;
  status: string;
  exclusive: Flag;
  enrolledAt: string;
  /** The currency the partner is paid in under this program; null = the program's (migration 0034). */
  payoutCurrency: Opt<string | null>;
}

/** A column that may be left out on insert (added by a later migration, null by default). */
type Opt<T> = ColumnType<T, T | undefined, T>;

export interface SupplyRelationshipsTable {
  vendorId: string;
  distributorId: string;
  resellerId: string;
  since: string;
}

export interface PeopleTable {
  id: string;
  email: string;
  name: string;
  vendorId: string | null;
  partnerId: string | null;
  createdAt: string;
  /** 'en' | 'fr'; null = not chosen (migration 20261204-0023). */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 = notifications are also e-mailed. */
  emailNotifications: ColumnType<number, number | undefined, number>;
  /** "Mark all read": every notification created up to this instant is read. */
  notificationsReadBefore: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RoleGrantsTable {
  id: string;
  personId: string;
  role: string;
  vendorId: string | null;
  partnerId: string | null;
  /** JSON array of region codes; empty = all regions. */
  regions: string;
}

export interface CertificationsTable {
  id: string;
  vendorId: string;
  partnerId: string;
  personId: string;
  code: string;
  kind: string;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

export interface ProductsTable {
  id: string;
  vendorId: string;
  sku: string;
  name: string;
  family: string;
  listPriceMinor: Int64;
  currency: string;
  createdAt: string;
  /** Licensing model of a software SKU (LICENSING_MODELS); null for hardware and services. */
  licensing: string | null;
  /** Solution area code (e.g. cloud-infrastructure); null when none. */
  solution: string | null;
}

export interface CustomersTable {
  id: string;
  vendorId: string;
  name: string;
  domain: string | null;
  country: string;
  region: string;
  segment: string;
  addressLine: string | null;
  city: string | null;
  postalCode: string | null;
  createdAt: string;
}

export interface OrdersTable {
  id: string;
  vendorId: string;
  source: string;
  externalId: string;
  customerId: string;
  endUserName: string;
  channel: string;
  resellerId: string | null;
  distributorId: string | null;
  orderDate: string;
  currency: string;
  country: string;
  region: string;
  segment: string;
  totalMinor: Int64;
  createdAt: string;
  /** SHA-256 of the content the order was posted with (null for bulk-loaded orders). */
  inputHash: ColumnType<string | null, string | null | undefined, string | null>;
  /** The deal registration the order fulfils (migration 0014), if it names one. */
  dealRegistrationId: ColumnType<string | null, string | null | undefined, string | null>;
  /** The currency the order was invoiced in, when not the program's (migration 0033); null = the program's. */
  originalCurrency: ColumnType<string | null, string | null | undefined, string | null>;
  /** The sum of the lines' original amounts (in `originalCurrency`); `totalMinor` is the converted sum. */
  originalTotalMinor: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface OrderLinesTable {
  id: string;
  orderId: string;
  vendorId: string;
  lineNo: number;
  productId: string;
  family: string;
  quantity: number;
  unitPriceMinor: Int64;
  amountMinor: Int64;
  currency: string;
  resellerId: string | null;
  distributorId: string | null;
  customerId: string;
  orderDate: string;
  returnsLineId: string | null;
  /**
   * Migration 0033 (orders in other currencies): what was invoiced when the order was not in the program's
   * currency, and the rate used; `currency`, `unitPriceMinor`, `amountMinor` then hold the converted values.
   * All null = the line was in the program's currency.
   */
  originalCurrency: ColumnType<string | null, string | null | undefined, string | null>;
  originalUnitPriceMinor: ColumnType<number | null, number | null | undefined, number | null>;
  originalAmountMinor: ColumnType<number | null, number | null | undefined, number | null>;
  /** The exact decimal rate (1 original = fxRate converted), as text. */
  fxRate: ColumnType<string | null, string | null | undefined, string | null>;
  /** The day of the rates used (before the order day when a last known rate bridged a gap). */
  fxRateDay: ColumnType<string | null, string | null | undefined, string | null>;
  /** How the rate was had: "direct", "inverse", "cross:EUR". */
  fxRateSource: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Time-boxed tier and status records: a partner's standing in a program is their history, never one column. */
export interface MembershipsTable {
  id: string;
  vendorId: string;
  programId: string;
  partnerId: string;
  /** A tier code, or an invitation-only status code such as titanium-black. */
  tierCode: string;
  validFrom: string;
  validTo: string | null;
  source: string;
  reason: string;
  createdAt: string;
  /** Not downgraded before this day (status match, grandfathering); null = no protection. */
  grandfatheredUntil: string | null;
  /** For an invitation-only status: the executive sponsor. */
  sponsor: string | null;
  /** JSON: what produced it (evaluation path and measures, status-match mapping). */
  detail: string;
}

export interface AgreementsTable {
  id: string;
  code: string;
  name: string;
  effectiveFrom: string;
  effectiveTo: string;
  definition: string;
  source: string;
  sourceHash: string;
  createdAt: string;
}

export interface AgreementPartiesTable {
  agreementId: string;
  vendorId: string;
  role: string;
}

export interface AgreementProgramsTable {
  agreementId: string;
  vendorId: string;
  programId: string;
}

export interface AgreementNoticesTable {
  agreementId: string;
  byVendorId: string;
  reason: string;
  noticeDate: string;
  effectiveDate: string;
  note: string | null;
  source: string;
  givenBy: string | null;
  createdAt: string;
}

export interface AgreementEventsTable {
  id: string;
  agreementId: string;
  kind: string;
  vendorId: string | null;
  actorId: string | null;
  onDay: string;
  sentence: string;
  detail: string;
  at: string;
}

export interface AgreementRewardsTable {
  id: string;
  agreementId: string;
  vendorId: string;
  partnerId: string;
  setKey: string;
  customerId: string | null;
  startDay: string;
  completedOn: string;
  programId: string;
  period: string;
  currency: string;
  ownLines: string;
  ownBaseMinor: number;
  points: number;
  basisPoints: number;
  shareMinor: number;
  rewardMinor: number;
  transactionId: string;
  closeId: string | null;
  explanation: string;
  createdAt: string;
}

export interface CredentialsTable {
  personId: string;
  passwordHash: string;
  updatedAt: string;
}

export interface SessionsTable {
  id: string;
  tokenHash: string;
  csrfHash: string;
  personId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
  userAgent: string | null;
}

export interface ApiTokensTable {
  id: string;
  tokenHash: string;
  /** The first characters of the token, shown in lists so people can tell tokens apart. */
  prefix: string;
  name: string;
  vendorId: string | null;
  partnerId: string | null;
  role: string;
  /** JSON array of scopes, e.g. ["read","orders:write"]. */
  scopes: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface PasswordResetsTable {
  tokenHash: string;
  personId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  lastFailureAt: string;
  blockedUntil: string;
}

/** Append-only: rows are inserted, never updated or deleted. */
export interface AuditEventsTable {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  role: string | null;
  vendorId: string | null;
  partnerId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  requestId: string | null;
  /** JSON object with non-secret details. */
  detail: string;
}

export interface LedgerTransactionsTable {
  id: string;
  vendorId: string;
  partnerId: string | null;
  programId: string;
  /** accrual, true-up, adjustment, clawback, reversal, payout */
  kind: string;
  idempotencyKey: string;
  inputHash: string;
  orderId: string | null;
  effectiveDate: string;
  /** The program period, e.g. 2017-Q2. */
  period: string;
  reversesId: string | null;
  postedAt: string;
}

/** Append-only. Debits positive, credits negative; a transaction's entries sum to zero. */
export interface LedgerEntriesTable {
  id: string;
  transactionId: string;
  vendorId: string;
  partnerId: string | null;
  programId: string;
  /** vendor:incentive-expense, partner:rebate-payable, ... */
  account: string;
  amountMinor: Int64;
  currency: string;
  period: string;
  component: string;
  ruleId: string;
  ruleVersion: string;
  lineId: string | null;
  baseMinor: Int64;
  rate: number;
  effectiveRate: number;
  tier: string;
  multiplier: number;
  budgetPool: string | null;
  /** JSON: the human sentence and the condition trace. */
  explanation: string;
}

/**
 * What repeats across the lines a rule earns on (migration 20261204-0019), stored once; the id is a hash of
 * the other columns (content-addressed), so writers insert it if absent without reading.
 */
export interface LedgerRulesTable {
  id: string;
  vendorId: string;
  programId: string;
  component: string;
  kind: string;
  name: string;
  ruleId: string;
  ruleVersion: string;
  debitAccount: string;
  creditAccount: string;
  currency: string;
  tier: string;
  rate: number;
  multiplier: number;
  multipliers: string;
  effectiveRate: number;
  budgetPool: string | null;
}

/** One transfer: debit the rule's debit account, credit its credit account, with the same amount. */
export interface LedgerPostingsTable {
  /** The vendor (migration 20261206-0036, tenant keys). */
  vendorId: string;
  transactionId: string;
  seq: number;
  rule: string;
  lineId: string | null;
  baseMinor: Int64;
  amountMinor: Int64;
  /** A close's true-up: what the line owes for the rule after this posting; null = the amount itself. */
  dueMinor: Int64 | null;
}

/** The view of every ledger leg: stored entries, and each posting as its debit and credit legs. */
export interface LedgerLegsView extends Omit<LedgerEntriesTable, 'explanation'> {
  /** JSON for a stored entry; null for a posting's leg (rendered from its rule and inputs). */
  explanation: string | null;
  /** The posting's position in its transaction; null for a stored entry. */
  postingSeq: number | null;
}

/**
 * What each partner's rebate payable holds per program, period, component, budget pool ('' for none) and
 * currency: kept in step with `ledger_entries` by an insert trigger (migration 20261202-0013), never
 * written by the application.
 */
export interface PayableTotalsTable {
  programId: string;
  budgetPool: string;
  partnerId: string;
  period: string;
  component: string;
  currency: string;
  vendorId: string;
  /** Sum of the entries (credits negative). */
  amountMinor: Int64;
  /** The part of amountMinor from entries of an order line. */
  lineAmountMinor: Int64;
  entries: Int64;
}

export interface PeriodClosesTable {
  id: string;
  vendorId: string;
  programId: string;
  programVersionId: string;
  period: string;
  fromDate: string;
  toDate: string;
  currency: string;
  /** Order lines the close read. */
  lines: number;
  partners: number;
  /** True-up transactions and entries it posted (0 when the ledger already agreed). */
  transactions: number;
  entries: number;
  /** Net amount the true-ups moved to partners (minor units). */
  netMinor: Int64;
  /** What partners earned in the period after the close (minor units). */
  totalMinor: Int64;
  statements: number;
  closedBy: string | null;
  closedAt: string;
  /** JSON: per-component totals and checks. */
  summary: string;
  /** JSON: the close items its plan proposed, [partnerId, component, type, amountMinor, text, message][] (null before migration 0038). */
  closeItems: string | null;
}

/**
 * Change counters of the facts a close reads: one per vendor (`scope` = vendor id) and one for the shared
 * partners (`*`), kept by triggers on SQLite (migration 0038).
 */
export interface FactVersionsTable {
  scope: string;
  version: Int64;
}

/**
 * Transactions that changed the facts a close reads (`scope`: vendor id or `*`), added by triggers on
 * PostgreSQL (migration 0038); `at`: when (text on SQLite, where nothing writes it; a timestamp on
 * PostgreSQL, where the default fills it).
 */
export interface FactChangesTable {
  scope: string;
  txid: Int64;
  at: ColumnType<string, never, never>;
}

/** draft -> issued -> approved -> paid (or carried, when below the minimum payout). */
export interface StatementsTable {
  id: string;
  vendorId: string;
  partnerId: string;
  programId: string;
  period: string;
  /** 1 for the period's statement; 2, 3... for supplements after a re-close. */
  sequence: number;
  currency: string;
  status: string;
  lines: number;
  earnedMinor: Int64;
  clawbackMinor: Int64;
  adjustmentMinor: Int64;
  carriedInMinor: Int64;
  totalMinor: Int64;
  closeId: string | null;
  closeOn: string;
  payOn: string;
  createdAt: string;
  updatedAt: string;
  issuedAt: string | null;
  approvedAt: string | null;
  paidAt: string | null;
  paidMinor: Int64 | null;
  paymentReference: string | null;
  payoutTransactionId: string | null;
  /**
   * Paid in another currency than the program's (migration 20261206-0034, core/ledger/fx-payout.ts): the
   * payout currency (fixed when issued), the rate (exact decimal text) and how it was had, and the
   * converted amounts. All null for a statement paid in the program's currency, and the rate and amounts
   * null until fixed (the period's average when issued, the payout day's rate when paid).
   */
  payoutCurrency: Opt<string | null>;
  payoutRate: Opt<string | null>;
  payoutRateBasis: Opt<string | null>;
  payoutRateDay: Opt<string | null>;
  payoutRateFirstDay: Opt<string | null>;
  payoutRateDays: Opt<number | null>;
  payoutRateDerivation: Opt<string | null>;
  payoutRateBridged: Opt<number | null>;
  payoutLinesMinor: Opt<number | null>;
  payoutTotalMinor: Opt<number | null>;
  payoutRoundingMinor: Opt<number | null>;
}

/** One line of a statement: a ledger entry on the partner's payable account, signed as the partner sees it. */
export interface StatementLinesTable {
  id: string;
  statementId: string;
  vendorId: string;
  partnerId: string;
  lineNo: number;
  /** accrual, return, clawback, true-up, close, adjustment, carried */
  kind: string;
  entryId: string | null;
  transactionId: string | null;
  /** With transactionId: the posting this line shows (null for a stored entry). */
  postingSeq: number | null;
  orderId: string | null;
  orderLineId: string | null;
  orderDate: string | null;
  family: string | null;
  component: string;
  ruleId: string;
  ruleVersion: string;
  baseMinor: Int64;
  rate: number;
  effectiveRate: number;
  tier: string;
  multiplier: number;
  budgetPool: string | null;
  /** Positive = owed to the partner. */
  amountMinor: Int64;
  currency: string;
  period: string;
  explanation: string;
}

/** open -> accepted (posts an adjustment) | rejected (with a reason). */
export interface DisputesTable {
  id: string;
  vendorId: string;
  partnerId: string;
  programId: string;
  statementId: string;
  statementLineId: string;
  status: string;
  reason: string;
  /** The adjustment the partner asks for (signed, minor units). */
  requestedMinor: Int64;
  currency: string;
  resolution: string | null;
  resolvedMinor: Int64 | null;
  adjustmentTransactionId: string | null;
  openedBy: string;
  openedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** A vendor's gross order volume: sum of |line amount| of every line accepted (docs/limits.md). */
export interface VendorVolumesTable {
  vendorId: string;
  grossMinor: Int64;
}

/** A background job (migration 20261202-0011-jobs): queued -> running -> succeeded | failed. */
export interface JobsTable {
  id: string;
  /** close, import-orders, evaluation */
  kind: string;
  vendorId: string | null;
  /** Set when a partner (a distributor importing its sell-out) started it. */
  partnerId: string | null;
  /** The person, token or system process that started it. */
  startedBy: string | null;
  status: string;
  phase: string | null;
  done: number;
  total: number;
  /** JSON: what it was asked to do. */
  input: string;
  /** JSON: the use case's result, once succeeded. */
  result: string | null;
  /** JSON: `{ code, detail, errors }`, once failed. */
  error: string | null;
  /** Unique while queued or running, for jobs that must not run twice at once; null once finished. */
  runningKey: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * A deal registration (migration 20261203-0014): draft -> submitted -> under-review | info-requested ->
 * approved -> extended -> won | lost | expired; rejected or withdrawn on the way. See src/core/deals.
 */
export interface DealRegistrationsTable {
  id: string;
  vendorId: string;
  programId: string;
  partnerId: string;
  ownerPersonId: string | null;
  status: string;
  customerName: string;
  customerDomain: string | null;
  customerAddressLine: string | null;
  customerCity: string | null;
  customerPostalCode: string | null;
  customerCountry: string;
  customerRegion: string;
  customerSegment: string;
  customerId: string | null;
  claimKey: string | null;
  currency: string;
  totalMinor: Int64;
  expectedCloseDate: string;
  description: string;
  externalRef: string | null;
  submittedAt: string | null;
  reviewDueAt: string | null;
  slaBreachedAt: string | null;
  escalated: number;
  decidedBy: string | null;
  decidedAt: string | null;
  approvedOn: string | null;
  /** Last day of protection (inclusive, UTC). */
  protectedUntil: string | null;
  extensionsGranted: number;
  extensionRequestedAt: string | null;
  extensionReason: string | null;
  reasonCode: string | null;
  reasonText: string | null;
  wonOrderId: string | null;
  closedAt: string | null;
  /** The vendor's submission sequence number (deal_sequences). */
  sequence: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DealRegistrationLinesTable {
  id: string;
  registrationId: string;
  vendorId: string;
  lineNo: number;
  family: string;
  productId: string | null;
  quantity: number | null;
  amountMinor: Int64;
  currency: string;
  description: string | null;
}

/** Append-only (a trigger refuses updates and deletes). */
export interface DealRegistrationEventsTable {
  id: string;
  registrationId: string;
  seq: number;
  vendorId: string;
  partnerId: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorSide: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reasonCode: string | null;
  note: string | null;
}

export interface DealConflictsTable {
  id: string;
  vendorId: string;
  registrationId: string;
  otherKind: string;
  otherId: string;
  score: number;
  decision: string;
  evidence: string;
  status: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface DealClaimsTable {
  registrationId: string;
  vendorId: string;
  claimKey: string;
  family: string;
  region: string;
  active: number;
  createdAt: string;
}

export interface DealSequencesTable {
  vendorId: string;
  sequence: number;
}

export interface DealCheckCountsTable {
  vendorId: string;
  partnerId: string;
  day: string;
  count: number;
}

export interface DealFlagsTable {
  id: string;
  vendorId: string;
  partnerId: string;
  registrationId: string | null;
  orderId: string | null;
  rule: string;
  dedupeKey: string;
  evidence: string;
  status: string;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

export interface ChannelSalesTable {
  vendorId: string;
  customerId: string;
  partnerId: string;
  role: string;
  family: string;
  firstOrderDate: string;
  lastOrderDate: string;
  lastOrderId: string;
  ordersCount: number;
}

export interface AccountCoverageTable {
  vendorId: string;
  customerId: string;
  channelSince: string;
  lastChannelDate: string;
  channelUntil: string;
  lastPartnerId: string;
  lastOrderId: string;
  updatedAt: string;
}

export interface CoverageEventsTable {
  id: string;
  vendorId: string;
  customerId: string;
  onDay: string;
  kind: string;
  partnerId: string | null;
  orderId: string | null;
  namedAccountId: string | null;
  sentence: string;
  createdAt: string;
}

export interface DirectNamedAccountsTable {
  id: string;
  vendorId: string;
  name: string;
  domain: string | null;
  country: string;
  status: string;
  source: string;
  note: string | null;
  addedBy: string;
  addedAt: string;
  removedBy: string | null;
  removedAt: string | null;
  removalReason: string | null;
}

export interface NamedAccountCountsTable {
  vendorId: string;
  active: number;
  version: number;
}

export interface DirectNamedMatchesTable {
  vendorId: string;
  namedAccountId: string;
  customerId: string;
  score: number;
  evidence: string;
  matchedAt: string;
}

export interface RoutedOrdersTable {
  id: string;
  vendorId: string;
  programId: string;
  source: string;
  externalId: string;
  inputHash: string;
  input: string;
  customerId: string;
  region: string;
  orderDate: string;
  totalMinor: number;
  currency: string;
  coverageStatus: string;
  reason: string;
  sentence: string;
  decision: string;
  status: string;
  orderId: string | null;
  bookedPartnerId: string | null;
  bookedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface RoutingOffersTable {
  id: string;
  vendorId: string;
  routedOrderId: string;
  partnerId: string;
  rank: number;
  status: string;
  offeredAt: string;
  deadline: string;
  answeredAt: string | null;
  answeredBy: string | null;
  declineReason: string | null;
}

export interface RoutingPartnerStatsTable {
  vendorId: string;
  partnerId: string;
  openOffers: number;
  accepted: number;
  declined: number;
  lapsed: number;
}

export interface RoutingCountersTable {
  vendorId: string;
  counter: number;
}

export interface Database {
  vendors: VendorsTable;
  programs: ProgramsTable;
  programVersions: ProgramVersionsTable;
  programTiers: ProgramTiersTable;
  partners: PartnersTable;
  enrolments: EnrolmentsTable;
  supplyRelationships: SupplyRelationshipsTable;
  people: PeopleTable;
  roleGrants: RoleGrantsTable;
  certifications: CertificationsTable;
  products: ProductsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  memberships: MembershipsTable;
  agreements: AgreementsTable;
  agreementParties: AgreementPartiesTable;
  agreementPrograms: AgreementProgramsTable;
  agreementNotices: AgreementNoticesTable;
  agreementEvents: AgreementEventsTable;
  agreementRewards: AgreementRewardsTable;
  credentials: CredentialsTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  passwordResets: PasswordResetsTable;
  signInThrottle: SignInThrottleTable;
  auditEvents: AuditEventsTable;
  ledgerTransactions: LedgerTransactionsTable;
  ledgerEntries: LedgerEntriesTable;
  ledgerRules: LedgerRulesTable;
  ledgerPostings: LedgerPostingsTable;
  ledgerLegs: LedgerLegsView;
  payableTotals: PayableTotalsTable;
  periodCloses: PeriodClosesTable;
  factVersions: FactVersionsTable;
  factChanges: FactChangesTable;
  statements: StatementsTable;
  statementLines: StatementLinesTable;
  disputes: DisputesTable;
  vendorVolumes: VendorVolumesTable;
  jobs: JobsTable;
  dealRegistrations: DealRegistrationsTable;
  dealRegistrationLines: DealRegistrationLinesTable;
  dealRegistrationEvents: DealRegistrationEventsTable;
  dealConflicts: DealConflictsTable;
  dealClaims: DealClaimsTable;
  dealSequences: DealSequencesTable;
  dealCheckCounts: DealCheckCountsTable;
  dealFlags: DealFlagsTable;
  channelSales: ChannelSalesTable;
  accountCoverage: AccountCoverageTable;
  coverageEvents: CoverageEventsTable;
  directNamedAccounts: DirectNamedAccountsTable;
  namedAccountCounts: NamedAccountCountsTable;
  directNamedMatches: DirectNamedMatchesTable;
  routedOrders: RoutedOrdersTable;
  routingOffers: RoutingOffersTable;
  routingPartnerStats: RoutingPartnerStatsTable;
  routingCounters: RoutingCountersTable;
  programTransfers: ProgramTransfersTable;
  programTransferParties: ProgramTransferPartiesTable;
  programTransferPartners: ProgramTransferPartnersTable;
  simulations: SimulationsTable;
  notifications: NotificationsTable;
  notificationReads: NotificationReadsTable;
  notificationMails: NotificationMailsTable;
  ssoConfigs: SsoConfigsTable;
  ssoLogins: SsoLoginsTable;
  ssoIdentities: SsoIdentitiesTable;
  webhookEndpoints: WebhookEndpointsTable;
  webhookEvents: WebhookEventsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookAttempts: WebhookAttemptsTable;
  mdfActivities: MdfActivitiesTable;
  mdfActivityEvents: MdfActivityEventsTable;
  mdfClaimFiles: MdfClaimFilesTable;
  mdfActivityLinks: MdfActivityLinksTable;
  mdfFundGuards: MdfFundGuardsTable;
  storedFiles: StoredFilesTable;
  exchangeRates: ExchangeRatesTable;
  shardTasks: ShardTasksTable;
}

/** A partner's market development activity (migration 20261206-0030; src/core/mdf/activity.ts). */
export interface MdfActivitiesTable {
  id: string;
  vendorId: string;
  programId: string;
  partnerId: string;
  /** The program zone of the partner. */
  zone: string;
  /** The partner's sales region (channel managers see their regions'). */
  region: string;
  /** `earned` or a proposal fund's code. */
  fund: string;
  /** A proposal fund's period (`FY22-Q2` or `FY22`); null for the earned fund. */
  fundPeriod: string | null;
  /** The fiscal quarter of the start, for reports. */
  quarter: string;
  type: string;
  title: string;
  description: string;
  expectedOutcome: string;
  expectedRevenueMinor: Int64 | null;
  expectedRegistrations: number | null;
  startsOn: string;
  endsOn: string;
  currency: string;
  requestedMinor: Int64;
  preapprovedMinor: Int64 | null;
  claimedMinor: Int64 | null;
  paidMinor: Int64 | null;
  status: string;
  claimDeadline: string;
  claimSeq: number;
  decisionReason: string | null;
  ledgerTransactionId: string | null;
  /** Grows with every change (conditional updates). */
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** An activity's history, append-only. */
export interface MdfActivityEventsTable {
  id: string;
  /** The vendor (migration 20261206-0036, tenant keys). */
  vendorId: string;
  activityId: string;
  seq: number;
  action: string;
  /** The status after the step. */
  status: string;
  day: string;
  at: string;
  actorId: string | null;
  amountMinor: Int64 | null;
  reason: string | null;
  claimSeq: number | null;
}

export interface MdfClaimFilesTable {
  /** The vendor (migration 20261206-0036, tenant keys). */
  vendorId: string;
  activityId: string;
  claimSeq: number;
  fileId: string;
  kind: string;
}

export interface MdfActivityLinksTable {
  /** The vendor (migration 20261206-0036, tenant keys). */
  vendorId: string;
  activityId: string;
  kind: string;
  targetId: string;
  createdBy: string;
  createdAt: string;
}

/** One per fund: a pre-approval bumps its version conditionally (no two overdraw the fund). */
export interface MdfFundGuardsTable {
  /** The vendor (migration 20261206-0036, tenant keys). */
  vendorId: string;
  fundKey: string;
  version: number;
  updatedAt: string;
}

/** An uploaded file (migration 20261206-0029; docs/files.md); its bytes are in the file store under storageKey. */
export interface StoredFilesTable {
  id: string;
  vendorId: string;
  /** The partner that uploaded it; null = uploaded by the vendor's people. */
  partnerId: string | null;
  /** What it is for, e.g. `mdf-proof`. */
  purpose: string;
  /** The uploader's name for it, sanitised (src/core/files/file-kinds.ts). */
  fileName: string;
  /** Detected from the bytes, never the declared type. */
  contentType: string;
  sizeBytes: number;
  /** Hex. */
  sha256: string;
  storageKey: string;
  /** The person or token that uploaded it. */
  uploadedBy: string;
  uploadedAt: string;
}

/** A URL an admin registered for its vendor or its partner (migration 20261206-0027); exactly one owner. */
export interface WebhookEndpointsTable {
  id: string;
  vendorId: string | null;
  partnerId: string | null;
  url: string;
  description: string;
  /** JSON array of event type names. */
  eventTypes: string;
  /** active | disabled */
  status: string;
  /** The signing secret, AES-256-GCM encrypted (src/app/webhooks/secrets.ts). */
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretUntil: string | null;
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The outbox: one event for one audience (the vendor's endpoints when partnerId is null, else the partner's). */
export interface WebhookEventsTable {
  id: string;
  vendorId: string;
  partnerId: string | null;
  type: string;
  /** JSON: the event as sent (envelope and data). */
  payload: string;
  createdAt: string;
  /** pending | done */
  fanoutState: ColumnType<string, string | undefined, string>;
}

/** One event to one endpoint: claimed with a lease, retried with back-off (at least once). */
export interface WebhookDeliveriesTable {
  id: string;
  eventId: string;
  endpointId: string;
  /** pending | succeeded | failed */
  status: string;
  attempts: number;
  /** Attempts in the current round (a redelivery starts a new one). */
  tries: number;
  nextAttemptAt: string;
  claimedBy: string | null;
  claimedUntil: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** The delivery log: one row per attempt. */
export interface WebhookAttemptsTable {
  id: string;
  deliveryId: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  succeeded: Flag;
}

/** One event told to a vendor's or a partner's people (migration 20261204-0023): a code and parameters. */
export interface NotificationsTable {
  id: string;
  vendorId: string;
  /** Null: the vendor's people; else the partner's. */
  partnerId: string | null;
  /** One person of the audience only; null = everyone in it who may read `resource`. */
  personId: string | null;
  /** The subject's owner: a sales rep (who sees only its own) sees it only when it is the owner. */
  ownerPersonId: string | null;
  /** The policy resource of the subject (statement, dispute, deal, offer, membership, certification). */
  resource: string;
  kind: string;
  /** JSON: the message's parameters. */
  params: string;
  subjectType: string;
  subjectId: string;
  /** Unique when set: (subject, kind, threshold) of periodic checks. */
  dedupeKey: string | null;
  createdAt: string;
  /** pending | queued | skipped */
  mailState: ColumnType<string, string | undefined, string>;
}

export interface NotificationReadsTable {
  notificationId: string;
  personId: string;
  readAt: string;
}

/** One e-mail of a notification to one person: claimed with a lease, then marked sent (at least once). */
export interface NotificationMailsTable {
  notificationId: string;
  personId: string;
  email: string;
  locale: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  nextAttemptAt: string;
  claimedBy: string | null;
  claimedUntil: string | null;
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
}

/** A split or a merge of partner bases (migration 20261203-0018); append-only. */
export interface ProgramTransfersTable {
  id: string;
  kind: string;
  transferKey: string;
  sourceProgramId: string | null;
  /** JSON array of program ids. */
  sourceProgramIds: string;
  targetVendorId: string;
  targetProgramId: string;
  onDay: string;
  checkDay: string;
  tierMap: string;
  grandfatherUntil: string | null;
  status: string;
  partners: number;
  enrolments: number;
  memberships: number;
  certifications: number;
  notCarried: number;
  differences: number;
  startedBy: string;
  jobId: string | null;
  createdAt: string;
}

/** The vendors a transfer concerns; each one's readers see it. */
export interface ProgramTransferPartiesTable {
  transferId: string;
  vendorId: string;
  role: string;
  createdAt: string;
}

/** One partner carried by a transfer, with its check; append-only. */
export interface ProgramTransferPartnersTable {
  id: string;
  transferId: string;
  carryKey: string;
  partnerId: string;
  sourceTier: string;
  promisedTier: string;
  heldTier: string | null;
  enrolled: number;
  membershipId: string | null;
  certifications: number;
  ok: number;
  accepted: number;
  check: string;
  detail: string;
  createdAt: string;
}

/** A simulation of a draft program (migration 20261204-0021): running -> succeeded | failed, then read only. */
export interface SimulationsTable {
  id: string;
  vendorId: string;
  name: string;
  programCode: string;
  draftVersion: string;
  draftText: string;
  /** JSON: `{ program }` or `{ text }`. */
  baseline: string;
  fromDate: string;
  toDate: string;
  engineVersion: string | null;
  status: string;
  /** JSON, once succeeded. */
  result: string | null;
  /** JSON `{ code, detail }`, once failed. */
  error: string | null;
  jobId: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** An organisation's OpenID Connect provider (migration 20261206-0028); exactly one owner id is set. */
export interface SsoConfigsTable {
  id: string;
  vendorId: string | null;
  partnerId: string | null;
  issuer: string;
  clientId: string;
  /** Encrypted (src/app/access/secret-box.ts); never returned by the API. */
  clientSecret: string;
  /** JSON string[] */
  scopes: string;
  groupsClaim: string;
  /** JSON `{ group, role }[]` */
  roleMapping: string;
  /** JSON string[]: e-mail domains whose people start here (lower-case). */
  emailDomains: string;
  /** 1 = provision unknown people on first sign-in. */
  jit: number;
  /** 1 = its people may not sign in with a password. */
  requireSso: number;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** A started SSO sign-in: the state (hashed), nonce and PKCE verifier, short-lived and used once. */
export interface SsoLoginsTable {
  stateHash: string;
  configId: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** A provider's subject bound to a person. */
export interface SsoIdentitiesTable {
  issuer: string;
  subject: string;
  personId: string;
  createdAt: string;
}

/** A vendor's exchange rate of one day (migration 20261206-0032; src/core/money/fx.ts). */
export interface ExchangeRatesTable {
  vendorId: string;
  /** 1 unit of `base` is worth `rate` units of `quote`. */
  base: string;
  quote: string;
  day: string;
  /** An exact decimal, as text ("1.0712"). */
  rate: string;
  /** The file name it was loaded from, or "api". */
  source: string;
  loadedBy: string;
  loadedAt: string;
}

export type ShardTaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A shard of a coordinator's run, queued for a worker process (migration 20261206-0037). */
export interface ShardTasksTable {
  vendorId: string;
  id: string;
  /** What runs it (src/app/shards/kinds.ts): `close`. */
  kind: string;
  /** One run of the coordinator (a close). */
  runId: string;
  shard: number;
  shardCount: number;
  /** JSON: what the kind's handler is given. */
  payload: string;
  status: ShardTaskStatus;
  /** Who claimed it (a worker, or the coordinator itself). */
  worker: string | null;
  claimedAt: string | null;
  finishedAt: string | null;
  /** The handler's result, `v8.serialize`d (bytea / blob). */
  result: Buffer | null;
  /** JSON {code, message} of a failed task. */
  error: string | null;
  createdAt: string;
}
