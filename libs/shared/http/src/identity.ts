import { PLATFORM_CITY } from '@mandate/kernel';
import { cityOf } from '@mandate/runtime';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { actorOfClaims, DEV_ISSUER, signToken, verifyToken, type RequestActor } from './auth';
import { HttpProblem } from './problem.filter';

/** An identity provider whose users sign in to Mandate (Keycloak in development, the city's IdP in production). */
export type OidcSettings = {
  issuer: string;
  /** The client id Mandate's tokens are issued for (`aud`). */
  audience: string;
  /** Where its signing keys are; found through the issuer's discovery document when unset. */
  jwksUrl?: string;
  /** The claims that carry the user's city, role and agency (protocol mappers in Keycloak). */
  claims: { city: string; role: string; agency: string };
};

/** Resolves an API key (`mk_<id>_<secret>`) to the actor it stands for, or null when it is not one. */
export type ApiKeyResolver = (key: string, client: string) => Promise<RequestActor | null>;

export type IdentityOptions = {
  /** HS256 key of the tokens Mandate signs itself: dev tokens (`mandate token`) and the gateway's internal ones. */
  secret: string;
  /** Accept dev tokens (issuer `mandate`): development, tests and the embedded default only. */
  devTokens: boolean;
  oidc: OidcSettings | null;
  apiKeys?: ApiKeyResolver;
  /**
   * Whether this deployment serves the city: a token (or key) of any other is refused, however
   * well signed, and one of a suspended city too (403). The operator's pseudo-city `platform` is
   * always known.
   */
  knownCity: (cityId: string) => boolean | 'suspended' | Promise<boolean | 'suspended'>;
};

/** The cities this process knows (the operator log, as fed to it): served, suspended, or unknown (false). */
export const servedCity = (cityId: string): boolean | 'suspended' => {
  const city = cityOf(cityId);
  if (!city) return false;
  return city.status === 'active' ? true : 'suspended';
};

/** Tokens the gateway signs for the services behind it, for a caller it has authenticated. */
export const INTERNAL_ISSUER = 'mandate-internal';
export const API_KEY = /^mk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

const invalid = (detail: string) => new HttpProblem(401, 'invalid-token', detail);

/** Signs a short-lived token for a caller the gateway has authenticated, for the service it forwards to. */
export const signInternalToken = (secret: string, actor: RequestActor): string => signToken(secret, actor, 120, INTERNAL_ISSUER);

/**
 * The gateway's internal tokens, one per caller reused for half its 120 s life: signing one per
 * request cost the gateway, and the services remember a token they verified (Authenticator), which
 * only helps when the same token comes back.
 */
export const internalTokens = (secret: string): ((actor: RequestActor) => string) => {
  const tokens = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
  return (actor) => {
    const key = `${actor.cityId}\n${actor.userId}\n${actor.role}\n${actor.agencyId ?? ''}`;
    let token = tokens.get(key);
    if (!token) tokens.set(key, (token = signInternalToken(secret, actor)));
    return token;
  };
};

/**
 * Who is calling: an OIDC access token of the configured identity provider (verified against its
 * JWKS, issuer and audience checked), an API key of a city, a token the gateway signed for a caller
 * it authenticated, or, in development only, a dev token.
 */
export class Authenticator {
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  /**
   * Tokens verified already, until they expire: a signature check per request was a fifth of the
   * read path's CPU. A JWT cannot be revoked before its `exp`, so remembering the answer changes
   * nothing; API keys (which can be) are not kept here.
   */
  private readonly verified = new LRUCache<string, RequestActor>({ max: 10_000 });

  constructor(private readonly options: IdentityOptions) {}

  async authenticate(token: string, client = 'unknown'): Promise<RequestActor> {
    const actor = this.verified.get(token) ?? (await this.identify(token, client));
    if (actor.cityId !== PLATFORM_CITY) {
      // Asked on every request, remembered tokens too: a city suspended now is refused now.
      const known = await this.options.knownCity(actor.cityId);
      if (known === 'suspended') throw new HttpProblem(403, 'city-suspended', `The city "${actor.cityId}" is suspended on this platform: ask the platform operator`);
      if (!known) throw invalid(`The city "${actor.cityId}" is not served here`);
    }
    if (!token.startsWith('mk_') && !this.verified.has(token)) {
      const expires = decodeJwt(token).exp; // verified: present (Mandate's tokens and the OIDC ones require it)
      if (typeof expires === 'number' && expires * 1000 > Date.now()) this.verified.set(token, actor, { ttl: expires * 1000 - Date.now() });
    }
    return actor;
  }

  private async identify(token: string, client: string): Promise<RequestActor> {
    if (token.startsWith('mk_')) {
      if (!API_KEY.test(token) || !this.options.apiKeys) throw invalid('This API key is not valid');
      const actor = await this.options.apiKeys(token, client);
      if (!actor) throw invalid('This API key is not valid');
      return actor;
    }
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalid('The bearer token is not a JWT');
    }
    if (issuer === INTERNAL_ISSUER) return verifyToken(this.options.secret, token, INTERNAL_ISSUER);
    if (this.options.oidc && issuer === this.options.oidc.issuer) return this.oidc(token, this.options.oidc);
    if (issuer === DEV_ISSUER) {
      if (!this.options.devTokens) throw invalid('Dev tokens are refused here: sign in with the identity provider');
      return verifyToken(this.options.secret, token);
    }
    throw invalid('The bearer token comes from an issuer this deployment does not trust');
  }

  private async oidc(token: string, settings: OidcSettings): Promise<RequestActor> {
    let payload: JWTPayload;
    try {
      this.jwks ??= createRemoteJWKSet(new URL(settings.jwksUrl ?? (await discoverJwks(settings.issuer))), { cooldownDuration: 30_000 });
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        // A token that never expires stays usable forever once leaked.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw invalid(`The bearer token is not valid: ${(error as Error).message}`);
    }
    return actorOfClaims({ sub: payload.sub, city: payload[settings.claims.city], role: payload[settings.claims.role], agency: payload[settings.claims.agency] });
  }
}

/** The JWKS address from the issuer's OpenID discovery document. */
const discoverJwks = async (issuer: string): Promise<string> => {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`OpenID discovery answered ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
  if (!jwksUri) throw new Error('OpenID discovery names no jwks_uri');
  return jwksUri;
};

/**
 * The identity settings a deployment's configuration gives (API keys are added where they are kept;
 * the cities served are `createHttpApp`'s default, those of the operator log this process knows).
 */
export const identityOfConfig = (config: {
  NODE_ENV: string;
  MANDATE_DEV_TOKENS?: boolean;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
  OIDC_JWKS_URL?: string;
  OIDC_CLAIM_CITY: string;
  OIDC_CLAIM_ROLE: string;
  OIDC_CLAIM_AGENCY: string;
}): Omit<IdentityOptions, 'secret' | 'knownCity'> => ({
  devTokens: config.MANDATE_DEV_TOKENS ?? config.NODE_ENV !== 'production',
  oidc: config.OIDC_ISSUER
    ? {
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE!,
        jwksUrl: config.OIDC_JWKS_URL,
        claims: { city: config.OIDC_CLAIM_CITY, role: config.OIDC_CLAIM_ROLE, agency: config.OIDC_CLAIM_AGENCY },
      }
    : null,
});
