/** TypeORM wraps driver errors in QueryFailedError; the SQLSTATE and detail live on the driver error. */
export type PgErrorFields = { code?: string; detail?: string; constraint?: string; message: string };

export const pgErrorOf = (error: unknown): PgErrorFields | null => {
  if (!(error instanceof Error)) return null;
  const driverError = (error as { driverError?: unknown }).driverError;
  const source = (driverError instanceof Error ? driverError : error) as Error & Partial<PgErrorFields>;
  return { code: source.code, detail: source.detail, constraint: source.constraint, message: source.message };
};
