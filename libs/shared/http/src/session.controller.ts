import { Body, Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { PLATFORM_CITY, ROLES } from '@mandate/kernel';
import { cities, cityOf, readAgencyDirectory, readLeaders } from '@mandate/runtime';
import { z } from 'zod';
import { Public, signToken } from './auth';
import { Doc } from './openapi';
import { HttpProblem } from './problem.filter';
import { parseInput } from './validation';

/** How people sign in here: what the web app's sign-in page offers. */
export type SessionSettings = {
  /** Dev tokens accepted: the embedded default and development; never in production. */
  devTokens: boolean;
  secret: string;
  /** The OpenID Connect provider the web app sends people to (authorization code + PKCE). */
  oidc: { issuer: string; clientId: string } | null;
};
export const SESSION_SETTINGS = Symbol('SESSION_SETTINGS');

const devTokenBody = z.object({
  cityId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  role: z.enum(ROLES),
  agencyId: z.string().max(120).nullable().optional(),
  userId: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,120}$/)
    .optional(),
});

/**
 * The web app's sign-in: where the identity provider is, and, in development only, a token for a
 * chosen city, role and agency (the "token picker" of the embedded default).
 */
@Controller('api/v1/session')
export class SessionController {
  constructor(@Inject(SESSION_SETTINGS) private readonly settings: SessionSettings) {}

  private cities() {
    return cities
      .all()
      .filter((city) => city.status === 'active')
      .map((city) => ({
        id: city.id,
        name: city.name,
        agencies: readAgencyDirectory(city.id).map((agency) => ({ id: agency.id, name: agency.name })),
        leaders: readLeaders(city.id),
      }));
  }

  @Doc({ summary: 'How to sign in: the identity provider, and in development the cities, agencies and leaders to pick from' })
  @Public()
  @Get()
  describe() {
    return {
      devTokens: this.settings.devTokens,
      oidc: this.settings.oidc,
      roles: ROLES,
      // The directory is only offered where anyone may pick an identity anyway.
      cities: this.settings.devTokens ? this.cities() : [],
    };
  }

  @Doc({ summary: 'Development only: a 12-hour token for a city, role and agency (404 where dev tokens are off)', body: devTokenBody })
  @Public()
  @Post('dev-token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async devToken(@Body() body: unknown) {
    if (!this.settings.devTokens) throw new HttpProblem(404, 'not-found', 'Dev tokens are off here: sign in with the identity provider');
    const input = parseInput(devTokenBody, body);
    const cityId = input.role === 'operator' ? PLATFORM_CITY : input.cityId;
    if (input.role !== 'operator' && !cityOf(cityId)) throw new HttpProblem(404, 'city-not-found', `No city "${cityId}" here`);
    const agencyId = input.agencyId ?? null;
    if ((input.role === 'agency' || input.role === 'unit') && !agencyId) {
      throw new HttpProblem(
        400,
        'agency-required',
        input.role === 'unit' ? "A unit's office acts for its unit: pick one" : 'An agency officer acts for an agency: pick one',
      );
    }
    const actor = { userId: input.userId ?? `${input.role}-${agencyId ?? cityId}`, role: input.role, cityId, agencyId };
    return { token: await signToken(this.settings.secret, actor), actor };
  }
}
