import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Doc, CurrentActor, parseInput, type RequestActor, Requires } from '@mandate/http';
import { PlansService } from '@mandate/plans-app';
import { contractTypes, RETIRED_CONTRACTS } from '@mandate/plans-contracts';
import { z } from 'zod';
import { PLANS_SERVICE } from './tokens';

const PUBLISHED = contractTypes().filter((type) => !(type in RETIRED_CONTRACTS));

const feedQuery = z.object({
  after: z.string().max(64).optional(),
  types: z
    .string()
    .max(2000)
    .transform((text) =>
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(PUBLISHED as [string, ...string[]])).min(1))
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The event feed integrators page through (`GET /api/v1/events`), in log order. */
@Controller('api/v1')
export class EventsHttpController {
  constructor(@Inject(PLANS_SERVICE) private readonly plans: PlansService) {}

  @Doc({ summary: "The city's published events in log order, for integrators to build and keep their copy", query: feedQuery })
  @Requires('events.read')
  @Get('events')
  events(@CurrentActor() actor: RequestActor, @Query() query: unknown) {
    const { after, types, limit } = parseInput(feedQuery, query);
    return this.plans.integrationFeed(actor, { after: after ?? null, types: types ?? null, limit });
  }
}
