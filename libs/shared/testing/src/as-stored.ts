/**
 * A value as the event store gives it back: through JSON, with the keys of every object in jsonb's
 * order (shorter keys first, then bytewise), not in the order they were written. Deciders given
 * events through this compare what they read with what a command says as the running service does.
 */
export const asStored = <T>(value: T): T => reorder(JSON.parse(JSON.stringify(value))) as T;

const jsonbOrder = (a: string, b: string): number => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b));

const reorder = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(jsonbOrder)
      .map((key) => [key, reorder((value as Record<string, unknown>)[key])]),
  );
};
