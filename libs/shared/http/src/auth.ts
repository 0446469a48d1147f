import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { isCityId, PLATFORM_CITY, ROLES, type Permission, type Role } from '@mandate/kernel';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { HttpProblem } from './problem.filter';

export type RequestActor = { userId: string; role: Role; agencyId: string | null; cityId: string };

export type TokenClaims = { sub: string; city: string; role: Role; agency?: string };

/** The issuer of the dev tokens `mandate token` signs (accepted only where dev tokens are on). */
export const DEV_ISSUER = 'mandate';

const invalid = (detail: string) => new HttpProblem(401, 'invalid-token', detail);

/** The actor a verified token's claims name, checked as every token's are (dev, internal or OIDC). */
export const actorOfClaims = (claims: { sub?: unknown; city?: unknown; role?: unknown; agency?: unknown }): RequestActor => {
  const { sub, city, role, agency } = claims;
  if (typeof sub !== 'string' || !sub || typeof city !== 'string' || !isCityId(city) || typeof role !== 'string' || !ROLES.includes(role as Role)) {
    throw invalid('The bearer token lacks city, role or user id');
  }
  // The operator belongs to no city, and no city's user to the platform.
  if ((role === 'operator') !== (city === PLATFORM_CITY)) throw invalid(`Role "operator", and only it, has the city "${PLATFORM_CITY}"`);
  if ((role === 'agency' || role === 'unit') && (typeof agency !== 'string' || !agency))
    throw invalid(`A${role === 'unit' ? " unit office's token names the unit" : "n agency officer's token names the agency"}`);
  return { userId: sub, cityId: city, role: role as Role, agencyId: typeof agency === 'string' && agency ? agency : null };
};

/**
 * The HMAC key of a secret, made once rather than on every sign and verify, which the gateway does for
 * each request (bench/tokens.bench.ts). A process has one or two secrets.
 */
const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
};

/** How long a token lives: whole seconds, or a timespan such as '30s', '5m', '12h' or '30d' (negative: expired already). */
export type TokenLifetime = number | string;

const BAD_LIFETIME = '"expiresIn" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60';

/** An HS256 token for an actor: a dev token by default, or one of Mandate's own issuers (the gateway's internal one). */
export const signToken = async (secret: string, actor: RequestActor, expiresIn: TokenLifetime = '12h', issuer = DEV_ISSUER): Promise<string> => {
  if (!isCityId(actor.cityId)) throw new Error(`Invalid city id "${actor.cityId}"`);
  if (!ROLES.includes(actor.role)) throw new Error(`Unknown role "${actor.role}"; one of ${ROLES.join(', ')}`);
  if ((actor.role === 'agency' || actor.role === 'unit') && !actor.agencyId) throw new Error(`Role "${actor.role}" needs --agency <id>`);
  if ((actor.role === 'operator') !== (actor.cityId === PLATFORM_CITY)) throw new Error(`Role "operator", and only it, has the city "${PLATFORM_CITY}"`);
  const claims: TokenClaims = { sub: actor.userId, city: actor.cityId, role: actor.role, ...(actor.agencyId ? { agency: actor.agencyId } : {}) };
  // jose takes a number as the expiry instant itself, not a lifetime: seconds become a timespan from now.
  const lifetime = typeof expiresIn === 'number' && Number.isSafeInteger(expiresIn) ? `${expiresIn}s` : expiresIn;
  if (typeof lifetime !== 'string' || !lifetime) throw new Error(BAD_LIFETIME);
  for (;;) {
    const issuedAt = Math.floor(Date.now() / 1000);
    let token: SignJWT;
    try {
      token = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(issuedAt).setIssuer(issuer).setExpirationTime(lifetime);
    } catch {
      throw new Error(BAD_LIFETIME);
    }
    // jose reads the clock again for exp: signed only if that was the second of iat, so exp - iat is the lifetime exactly.
    if (Math.floor(Date.now() / 1000) === issuedAt) return token.sign(keyOf(secret));
  }
};

export const verifyToken = async (secret: string, token: string, issuer = DEV_ISSUER): Promise<RequestActor> => {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'], issuer }));
  } catch (error) {
    throw invalid(`The bearer token is not valid: ${(error as Error).message}`);
  }
  // A token that never expires stays usable forever once leaked: Mandate signs none, and accepts none.
  if (typeof claims.exp !== 'number') throw invalid('The bearer token has no expiry (exp)');
  return actorOfClaims(claims);
};

export const PUBLIC = 'mandate:public';
export const Public = () => SetMetadata(PUBLIC, true);

/** The permission of the matrix (kernel `PERMISSIONS`) a route needs; a route that declares none is refused. */
export const PERMISSION = 'mandate:permission';
export const Requires = (permission: Permission) => SetMetadata(PERMISSION, permission);

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): RequestActor => {
  const actor = context.switchToHttp().getRequest<{ actor?: RequestActor }>().actor;
  if (!actor) throw new HttpProblem(401, 'missing-token', 'Send Authorization: Bearer <token>');
  return actor;
});
