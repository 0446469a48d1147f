import { ValidationError } from '@mandate/kernel';

export type ImportErrorCode = 'plan-import.empty' | 'plan-import.too-large' | 'plan-import.binary' | 'plan-import.not-utf8' | 'plan-import.unrecognised';

/** The document cannot be imported as written; the message says what to fix. */
export class ImportError extends ValidationError {
  constructor(
    message: string,
    readonly importCode: ImportErrorCode,
    readonly document: string,
  ) {
    super(message, importCode, { document });
  }
}
