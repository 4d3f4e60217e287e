export { CandidateIndex, initialsOf } from './candidate-index.js';
export type {
  CandidateIndexOptions,
  CandidateKind,
  IndexEntry,
  MatchCandidate,
  SearchOptions,
} from './candidate-index.js';
export { legalFormOf, legalFormSpellings, stripLegalForms } from './legal-forms.js';
export type { LegalForm, RemovedLegalForm } from './legal-forms.js';
export {
  addressWords,
  canonicalWord,
  GENERIC_DOMAINS,
  normalizeDomain,
  normalizeName,
  normalizePostalCode,
  spellingKey,
  umlautKey,
} from './normalize.js';
export type { NormalizedName } from './normalize.js';
export {
  compareParties,
  comparePrepared,
  decide,
  DEFAULT_WEIGHTS,
  INITIALS_ONLY_CAP,
  jaroWinkler,
  MATCH_THRESHOLD,
  nameSimilarity,
  osa,
  POSSIBLE_THRESHOLD,
  prepareParty,
  trigramSimilarity,
  wordSimilarity,
} from './similarity.js';
export type {
  Evidence,
  EvidenceField,
  MatchDecision,
  NameSimilarity,
  PartyComparison,
  PartyInput,
  PreparedParty,
  TokenWeights,
} from './similarity.js';
