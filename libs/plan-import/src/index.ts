export { parseDeadline, findDeadlineInSentence, type DeadlineContext } from './deadline';
export { resolveAgency, splitAgencyList, agencyKey } from './agency-resolver';
export { importPlan, MAX_DOCUMENT_BYTES, type ImportOptions } from './import-plan';
export { ImportError, type ImportErrorCode } from './import-error';
