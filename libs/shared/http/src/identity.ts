import { PLATFORM_CITY } from '@mandate/kernel';
import { cities, cityOf } from '@mandate/runtime';
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
  knownCity: (cityId: string) => CityService | Promise<CityService>;
  /**
   * The cities' own identity providers: for an issuer that is not the deployment's (`oidc`), the
   * settings to verify its tokens with and the cities it may speak for; null when no city has it.
   */
  cityIssuer?: (issuer: string) => CityIssuer | null;
};

/** An identity provider of one or more cities: a token it signs is accepted only for one of them. */
export type CityIssuer = { settings: OidcSettings; audiences: readonly string[]; cities: readonly string[] };

/**
 * The cities this process knows that name `issuer` as their identity provider. Cities sharing one
 * provider share its claim mapping (the first one's is used) and may each name their own client.
 */
export const cityIssuerOf = (issuer: string): CityIssuer | null => {
  const served = cities.all().filter((city) => city.identityProvider?.issuer === issuer);
  const first = served[0]?.identityProvider;
  if (!first) return null;
  return {
    settings: { issuer, audience: first.audience, jwksUrl: first.jwksUrl ?? undefined, claims: first.claims },
    audiences: [...new Set(served.map((city) => city.identityProvider!.audience))],
    cities: served.map((city) => city.id),
  };
};

/** Whether a city is served: yes, suspended, merged into another (then `into`), or unknown (false). */
export type CityService = boolean | 'suspended' | { mergedInto: string };

/** The cities this process knows (the operator log, as fed to it). */
export const servedCity = (cityId: string): CityService => {
  const city = cityOf(cityId);
  if (!city) return false;
  if (city.status === 'merged') return { mergedInto: city.mergedInto ?? '' };
  return city.status === 'active' ? true : 'suspended';
};

/** Tokens the gateway signs for the services behind it, for a caller it has authenticated. */
export const INTERNAL_ISSUER = 'mandate-internal';
export const API_KEY = /^mk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

const invalid = (detail: string) => new HttpProblem(401, 'invalid-token', detail);

/** Signs a short-lived token for a caller the gateway has authenticated, for the service it forwards to. */
export const signInternalToken = (secret: string, actor: RequestActor): Promise<string> => signToken(secret, actor, 120, INTERNAL_ISSUER);

/**
 * The gateway's internal tokens, one per caller reused for half its 120 s life: signing one per
 * request cost the gateway, and the services remember a token they verified (Authenticator), which
 * only helps when the same token comes back.
 */
export const internalTokens = (secret: string): ((actor: RequestActor) => Promise<string>) => {
  const tokens = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
  return async (actor) => {
    const key = `${actor.cityId}\n${actor.userId}\n${actor.role}\n${actor.agencyId ?? ''}`;
    let token = tokens.get(key);
    if (!token) tokens.set(key, (token = await signInternalToken(secret, actor)));
    return token;
  };
};

/**
 * Who is calling: an OIDC access token of the configured identity provider (verified against its
 * JWKS, issuer and audience checked), an API key of a city, a token the gateway signed for a caller
 * it authenticated, or, in development only, a dev token.
 */
export class Authenticator {
  /** Each provider's signing keys, by issuer: fetched when first needed, refreshed by jose on an unknown kid. */
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  /**
   * Tokens verified already, until they expire: a signature check per request was a fifth of the
   * read path's CPU. A JWT cannot be revoked before its `exp`, so remembering the answer changes
   * nothing; API keys (which can be) are not kept here. A city's own provider can be taken away by
   * the operator, so a token of one is remembered with its issuer and checked against it again.
   */
  private readonly verified = new LRUCache<string, { actor: RequestActor; cityIssuer: string | null }>({ max: 10_000 });

  constructor(private readonly options: IdentityOptions) {}

  private remembered(token: string): RequestActor | undefined {
    const hit = this.verified.get(token);
    if (!hit) return undefined;
    if (hit.cityIssuer !== null && !(this.options.cityIssuer ?? cityIssuerOf)(hit.cityIssuer)?.cities.includes(hit.actor.cityId)) {
      this.verified.delete(token);
      return undefined;
    }
    return hit.actor;
  }

  async authenticate(token: string, client = 'unknown'): Promise<RequestActor> {
    const actor = this.remembered(token) ?? (await this.identify(token, client));
    if (actor.cityId !== PLATFORM_CITY) {
      // Asked on every request, remembered tokens too: a city suspended now is refused now.
      const known = await this.options.knownCity(actor.cityId);
      if (known === 'suspended')
        throw new HttpProblem(403, 'city-suspended', `The city "${actor.cityId}" is suspended on this platform: ask the platform operator`);
      if (typeof known === 'object') {
        throw new HttpProblem(
          403,
          'city-merged',
          `The city "${actor.cityId}" merged into "${known.mergedInto}": its plans and tasks are there now; sign in as a user of "${known.mergedInto}"`,
        );
      }
      if (!known) throw invalid(`The city "${actor.cityId}" is not served here`);
    }
    if (!token.startsWith('mk_') && !this.verified.has(token)) {
      const { exp: expires, iss } = decodeJwt(token); // verified: exp present (Mandate's tokens and the OIDC ones require it)
      const cityIssuer = iss && iss !== INTERNAL_ISSUER && iss !== DEV_ISSUER && iss !== this.options.oidc?.issuer ? iss.replace(/\/$/, '') : null;
      if (typeof expires === 'number' && expires * 1000 > Date.now()) this.verified.set(token, { actor, cityIssuer }, { ttl: expires * 1000 - Date.now() });
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
    const cityIssuer = issuer ? (this.options.cityIssuer ?? cityIssuerOf)(issuer.replace(/\/$/, '')) : null;
    if (issuer && cityIssuer) {
      // Verified against the issuer exactly as the token states it (with or without its final slash).
      const actor = await this.oidc(token, { ...cityIssuer.settings, issuer }, cityIssuer.audiences);
      // A province's SSO speaks for its own city, never for another's, nor for the platform.
      if (!cityIssuer.cities.includes(actor.cityId)) throw invalid(`The identity provider ${issuer} does not speak for the city "${actor.cityId}"`);
      return actor;
    }
    if (issuer === DEV_ISSUER) {
      if (!this.options.devTokens) throw invalid('Dev tokens are refused here: sign in with the identity provider');
      return verifyToken(this.options.secret, token);
    }
    throw invalid('The bearer token comes from an issuer this deployment does not trust');
  }

  private async oidc(token: string, settings: OidcSettings, audiences: readonly string[] = [settings.audience]): Promise<RequestActor> {
    let payload: JWTPayload;
    try {
      let jwks = this.jwks.get(settings.issuer);
      if (!jwks)
        this.jwks.set(
          settings.issuer,
          (jwks = createRemoteJWKSet(new URL(settings.jwksUrl ?? (await discoverJwks(settings.issuer))), { cooldownDuration: 30_000 })),
        );
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: settings.issuer,
        audience: [...audiences],
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        // A token that never expires stays usable forever once leaked.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw invalid(`The bearer token is not valid: ${(error as Error).message}`);
    }
    return actorOfClaims({
      sub: payload.sub,
      city: payload[settings.claims.city],
      role: payload[settings.claims.role],
      agency: payload[settings.claims.agency],
    });
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
