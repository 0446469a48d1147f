import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Module, Param, Post, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { Doc, CurrentActor, parseInput, Requires, type RequestActor } from '@mandate/http';
import { z } from 'zod';
import { API_KEY_ROLES, type ApiKeys } from './api-keys';

const API_KEYS = Symbol('ApiKeys');
const createBody = z.object({ name: z.string().min(1).max(200), role: z.enum(API_KEY_ROLES).optional() });

/** The city office issues, rotates and revokes its integrators' API keys. */
@Controller('api/v1/api-keys')
@Requires('apikeys.manage')
export class ApiKeysHttpController {
  constructor(@Inject(API_KEYS) private readonly keys: ApiKeys) {}

  /** `201 {"id","key",…}`: the key is shown only here. */
  @Doc({ summary: "Issues an API key for an integrator's system; the key is shown only here", body: createBody })
  @Post()
  // The key is in this answer only: no cache keeps it, nor an Idempotency-Key record (request-policies.ts).
  @Header('Cache-Control', 'no-store')
  async create(@CurrentActor() actor: RequestActor, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(createBody, body);
    res.status(201);
    return this.keys.create(actor, input);
  }

  @Doc({ summary: "The city's API keys (no secrets)" })
  @Get()
  async list(@CurrentActor() actor: RequestActor) {
    return { items: await this.keys.list(actor) };
  }

  /** A new key; the old one works for the grace period. */
  @Doc({ summary: 'A new key; the old one works for the grace period' })
  @Post(':id/rotate')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  rotate(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    return this.keys.rotate(actor, id);
  }

  @Doc({ summary: 'Revokes a key at once' })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    await this.keys.revoke(actor, id);
  }
}

@Module({})
export class ApiKeysModule {
  static with(keys: ApiKeys): DynamicModule {
    return { module: ApiKeysModule, controllers: [ApiKeysHttpController], providers: [{ provide: API_KEYS, useValue: keys }] };
  }
}
