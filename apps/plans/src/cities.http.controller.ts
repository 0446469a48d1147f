import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Res } from '@nestjs/common';
import { CITY_LEVELS } from '@mandate/cities-domain';
import { IllegalStateError, NotFoundError, PERIOD_KINDS, PLATFORM_CITY, ValidationError } from '@mandate/kernel';
import { CommandOrigin, CurrentActor, Doc, etag, parseInput, Requires, type RequestActor } from '@mandate/http';
import type { CitiesService, DirectoryService, PlansService } from '@mandate/plans-app';
import type { Response } from 'express';
import { z } from 'zod';
import { historyItem } from './history';
import { CITIES_SERVICE, DIRECTORY_SERVICE, PLANS_SERVICE } from './tokens';
import { ALL_CITIES, withCityScope } from '@mandate/runtime';

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
    claims: z
      .object({ city: z.string().max(100), role: z.string().max(100), agency: z.string().max(100) })
      .partial()
      .strict()
      .optional(),
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
  .refine(
    (b) => Object.keys(b).some((key) => key !== 'reason'),
    'send at least one setting to change (name, level, timeZone, dueSoonDays, reporting, identityProvider)',
  );
const reasonBody = z.object({ reason }).strict();
const agencyId = z.string().min(1).max(100);
const mergeBody = z
  .object({
    into: z.string({ error: 'into is required: the city it merges into' }).max(63),
    /** The merged city's agencies whose work passes to another agency of the successor (Sở KH&ĐT -> Sở Tài chính); others keep their id. */
    agencies: z.record(agencyId, agencyId).optional(),
    effectiveOn: z.iso.date().optional(),
    reason,
  })
  .strict();

/**
 * The cities the deployment serves, managed by the platform operator at run time. Each change is
 * an event of the operator log; every service learns it from mandate.cities.v1 without a restart.
 */
@Controller('api/v1/cities')
export class CitiesHttpController {
  constructor(
    @Inject(CITIES_SERVICE) private readonly cities: CitiesService,
    @Inject(PLANS_SERVICE) private readonly plans: PlansService,
    @Inject(DIRECTORY_SERVICE) private readonly directory: DirectoryService,
  ) {}

  @Doc({ summary: 'The cities: every one for the operator, one’s own for anyone else' })
  @Requires('cities.read')
  @Get()
  async list(@CurrentActor() actor: RequestActor) {
    const all = await this.cities.list();
    return { cities: actor.cityId === PLATFORM_CITY ? all : all.filter((c) => c.id === actor.cityId) };
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
  async change(
    @CurrentActor() actor: RequestActor,
    @CommandOrigin() origin: CommandOrigin,
    @Param('cityId') cityId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
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

  @Doc({
    summary:
      'Merges a city into another: its plans and tasks go on in the successor’s log (each stream continuing from its head, chains unbroken), its users and keys are refused (403 city-merged); open tasks of the agencies named in `agencies` pass to their successor there (TaskAssigned citing the merger). Safe to send again',
    body: mergeBody,
  })
  @Requires('cities.manage')
  @Post(':cityId/merge')
  @HttpCode(200)
  merge(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('cityId') cityId: string, @Body() body: unknown) {
    const input = parseInput(mergeBody, body);
    // The operator's own scope is the platform's log; a merger reads and writes both cities' rows.
    return withCityScope(ALL_CITIES, () => this.mergeCity(actor, origin, cityId, input));
  }

  private async mergeCity(actor: RequestActor, origin: CommandOrigin, cityId: string, input: z.output<typeof mergeBody>) {
    const predecessor = await this.cities.get(cityId);
    // Checked before anything is recorded: every agency named must be one of the successor's.
    const successors = input.agencies ? await this.directory.of(input.into) : null;
    const handOvers = Object.entries(input.agencies ?? {}).map(([from, to]) => {
      const agency = successors?.agencies.find((a) => a.agencyId === to && a.active);
      if (!agency) throw new ValidationError(`agencies.${from}: "${to}" is no active agency of ${input.into}'s directory`, 'agency-unknown');
      return { from, to: agency };
    });
    const city =
      predecessor.status === 'merged' ? predecessor : await this.cities.merge(cityId, input.into, input.reason, actor, origin.correlationId, origin.commandId);
    if (city.mergedInto !== input.into) throw new IllegalStateError(`The city "${cityId}" merged into "${city.mergedInto}"`, 'city-merged');
    // The operator acts in the successor's log for the moves and hand-overs.
    const inSuccessor = { ...actor, cityId: input.into };
    const moved = await this.plans.moveCity(cityId, input.reason, inSuccessor, origin.correlationId);
    let tasksHandedOver = 0;
    const day = input.effectiveOn ? ` từ ngày ${input.effectiveOn.split('-').reverse().join('/')}` : '';
    const reason = `Sáp nhập ${predecessor.name} vào ${(await this.cities.get(input.into)).name}${day}`;
    for (const { from, to } of handOvers) {
      const successor = { agencyId: to.agencyId, name: to.name, text: to.name, resolution: 'resolved' as const };
      tasksHandedOver += (
        await this.plans.handOver({ predecessorIds: [from], successor, reason, effectiveOn: input.effectiveOn ?? null }, inSuccessor, origin.correlationId)
      ).moved;
    }
    return { city, into: input.into, plansMoved: moved.plans, tasksMoved: moved.tasks, tasksHandedOver };
  }

  @Doc({ summary: 'Resumes a suspended city', body: reasonBody })
  @Requires('cities.manage')
  @Post(':cityId/resume')
  @HttpCode(200)
  async resume(@CurrentActor() actor: RequestActor, @CommandOrigin() origin: CommandOrigin, @Param('cityId') cityId: string, @Body() body: unknown) {
    return await this.cities.resume(cityId, parseInput(reasonBody, body).reason, actor, origin.correlationId, origin.commandId);
  }
}
