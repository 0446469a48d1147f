export { resolveAgency, splitAgencyList, agencyKey } from './agency-resolver';
export { importPlan, toPlanDraft, warningText, type ImportOptions } from './import-plan';
export {
  applyCorrections,
  parseCorrectionsJson,
  importCorrectionsSchema,
  CorrectionError,
  type CorrectionErrorCode,
  type ImportChange,
  type ImportCorrections,
  type TaskAddition,
  type TaskCorrection,
} from './corrections';
export { decodeDocument, parsePlan, MAX_DOCUMENT_BYTES, type ParseOptions } from './parse-plan';
export * from './parsed-plan';
export { withReaderWarnings, type ReaderWarning } from './reader-warnings';
export { parseVietnameseNumber, readTarget } from '@mandate/kernel';
export { ImportError, type ImportErrorCode } from './import-error';
export { syntheticPlan } from './synthetic-plan';
export { leaderName, personNamed } from './leaders';
