/** Who is signed in: the bearer token and what it says (city, role, agency). Kept for the browser tab only. */
export type Role = 'office' | 'planning' | 'agency' | 'leader' | 'auditor' | 'integrator' | 'operator' | 'unit';
export type Actor = { userId: string; role: Role; cityId: string; agencyId: string | null };
export type Session = { token: string; actor: Actor };

const KEY = 'mandate.session';

const decodePart = (part: string): Record<string, unknown> => {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

/**
 * The actor a token names. The server verifies the token on every call; this only reads it to
 * shape the screens. Claim names are Mandate's dev tokens' or the provider's (mandate_*).
 */
export const actorOfToken = (token: string): Actor => {
  const claims = decodePart(token.split('.')[1] ?? '');
  const pick = (...names: string[]) => names.map((n) => claims[n]).find((v) => typeof v === 'string') as string | undefined;
  return {
    userId: pick('sub') ?? 'unknown',
    role: (pick('role', 'mandate_role') ?? 'agency') as Role,
    cityId: pick('city', 'mandate_city') ?? '',
    agencyId: pick('agency', 'mandate_agency') ?? null,
  };
};

export const loadSession = (): Session | null => {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    const exp = decodePart(session.token.split('.')[1] ?? '').exp;
    if (typeof exp === 'number' && exp * 1000 < Date.now()) return null;
    return session;
  } catch {
    return null;
  }
};

export const saveSession = (token: string): Session => {
  const session = { token, actor: actorOfToken(token) };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
};

export const clearSession = (): void => sessionStorage.removeItem(KEY);
