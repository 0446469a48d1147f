import canonicalize from 'canonicalize';

/**
 * A value as the event store gives it back: JSON (NaN and undefined as JSON writes them) with its
 * keys sorted, since jsonb returns keys in an order of its own. Compare what a document says with
 * what stored events said through this, never through JSON.stringify or identity.
 */
export const storedForm = (value: unknown): string => {
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : (canonicalize(JSON.parse(json)) ?? 'null');
};

export const sameStored = (a: unknown, b: unknown): boolean => storedForm(a) === storedForm(b);
