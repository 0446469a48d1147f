import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Res } from '@nestjs/common';
import { CITY_LEVELS } from '@mandate/cities-domain';
import { NotFoundError, PERIOD_KINDS, PLATFORM_CITY } from '@mandate/kernel';
import { CommandOrigin, CurrentActor, Doc, etag, parseInput, Requires, type RequestActor } from '@mandate/http';
import type { CitiesService } from '@mandate/plans-app';
import type { Response } from 'express';
import { z } from 'zod';
import { historyItem } from './history';
import { CITIES_SERVICE } from './tokens';

const day = (max: number) => z.number().int().min(1).max(max);
const reporting = z
  .object({
    cutoffDay: day(28).optional(),
    dueDay: z.union([day(31), z.partialRecord(z.enum(PERIOD_KINDS), day(31))]).optional(),
  })
  .strict();
const identityProvider = z
  .object({
    issuer: z.string().max(500),
    audience: z.string().max(200),
    jwksUrl: z.string().max(500).nullable().optional(),
    claims: z.object({ city: z.string().max(100), role: z.string().max(100), agency: z.string().max(100) }).partial().strict().optional(),
  })
  .strict()
  .nullable();
const reason = z.string({ error: 'reason is required: the operator log keeps why' }).max(4000);
const settings = {
  name: z.string().max(200),
  level: z.enum(CITY_LEVELS),
  timeZone: z.string().max(64),
  dueSoonDays: z.number().int().min(0).max(60),
  reporting,
};

const createBody = z
  .object({
    id: z.string({ error: 'id is required (e.g. quang-ninh)' }).max(63),
    name: settings.name,
    level: settings.level,
    timeZone: settings.timeZone.optional(),
    dueSoonDays: settings.dueSoonDays.optional(),
    reporting: reporting.optional(),
    identityProvider: identityProvider.optional(),
    reason,
  })
  .strict();
const changeBody = z
  .object({
    name: settings.name.optional(),
    level: settings.level.optional(),
    timeZone: settings.timeZone.optional(),
    dueSoonDays: settings.dueSoonDays.optional(),
    reporting: reporting.optional(),
    identityProvider: identityProvider.optional(),
    reason,
  })
  .strict()
  .refine((b) => Object.keys(b).some((key) => key !== 'reason'), 'send at least one setting to change (name, level, timeZone, dueSoonDays, reporting, identityProvider)');
const reasonBody = z.object({ reason }).strict();

/**
 * The cities the deployment serves, managed by the platform operator at run time. Each change is
 * an event of the operator log; every service learns it from mandate.cities.v1 without a restart.
 */
@Controller('api/v1/cities')
export class CitiesHttpController {
  constructor(@Inject(CITIES_SERVICE) private readonly cities: CitiesService) {}

  @Doc({ summary: 'The cities: every one for the operator, one’s own for anyone else' })
  @Requires('cities.read')
  @Get()
  async list(@CurrentActor() actor: RequestActor) {
    const all = await this.cities.list();
    return { cities: (actor.cityId === PLATFORM_CITY ? all : all.filter((c) => c.id === actor.cityId)) };
  }

  @Doc({ summary: 'One city’s settings and status (the operator: any; anyone else: their own)' })
  @Requires('cities.read')
  @Get(':cityId')
  async get(@CurrentActor() actor: RequestActor, @Param('cityId') cityId: string, @Res({ passthrough: true }) res: Response) {
    // Another city's is answered as absent, like every other resource of another city.
    if (actor.cityId !== PLATFORM_CITY && actor.cityId !== cityId) throw new NotFoundError(`No city "${cityId}"`, 'city-not-found');
    const city = await this.cities.get(cityId);
    res.setHeader('ETag', etag(BigInt(city.version)));
    return city;
  }

  @Doc({ summary: 'The city’s operator log: who created, changed, suspended or resumed it, when and why' })
  @Requires('cities.manage')
  @Get(':cityId/history')
  async history(@Param('cityId') cityId: string) {
    return { items: (await this.cities.history(cityId)).map(historyItem) };
  }

  @Doc({ summary: 'Creates a city: served from now on by every service, no restart', body: createBody })
  @Requires('cities.manage')
  @Post()
  @HttpCode(201)
  async create(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { id, ...input } = parseInput(createBody, body);
    const city = await this.cities.create({ cityId: id, ...input }, actor, origin.correlationId, origin.commandId);
    res.setHeader('Location', `/api/v1/cities/${city.id}`);
    res.setHeader('ETag', etag(BigInt(city.version)));
    return city;
  }

  @Doc({ summary: 'Changes some of a city’s settings (name, level, time zone, due-soon days, reporting calendar), with a reason', body: changeBody })
  @Requires('cities.manage')
  @Patch(':cityId')
  async change(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('cityId') cityId: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { reason: why, ...changes } = parseInput(changeBody, body);
    const city = await this.cities.change(cityId, changes, why, actor, origin.correlationId, origin.commandId);
    res.setHeader('ETag', etag(BigInt(city.version)));
    return city;
  }

  @Doc({ summary: 'Suspends a city: its users and keys are refused (403 city-suspended) until it is resumed; nothing is lost', body: reasonBody })
  @Requires('cities.manage')
  @Post(':cityId/suspend')
  @HttpCode(200)
  async suspend(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('cityId') cityId: string, @Body() body: unknown) {
    return await this.cities.suspend(cityId, parseInput(reasonBody, body).reason, actor, origin.correlationId, origin.commandId);
  }

  @Doc({ summary: 'Resumes a suspended city', body: reasonBody })
  @Requires('cities.manage')
  @Post(':cityId/resume')
  @HttpCode(200)
  async resume(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('cityId') cityId: string, @Body() body: unknown) {
    return await this.cities.resume(cityId, parseInput(reasonBody, body).reason, actor, origin.correlationId, origin.commandId);
  }
}
