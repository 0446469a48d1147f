import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Doc, CurrentActor, parseInput, Requires, type RequestActor } from '@mandate/http';
import type { Webhooks } from '@mandate/notifications-app';
import { contractTypes, RETIRED_CONTRACTS } from '@mandate/plans-contracts';
import { z } from 'zod';

export const WEBHOOKS = Symbol('Webhooks');
const PUBLISHED = contractTypes().filter((type) => !(type in RETIRED_CONTRACTS)) as [string, ...string[]];

const registerBody = z.object({
  url: z.string().max(2000),
  types: z.array(z.enum(PUBLISHED)).min(1).max(100).optional(),
  planIds: z.array(z.uuid()).min(1).max(1000).optional(),
});
const replayBody = z
  .object({ fromPosition: z.number().int().min(0).optional(), fromTime: z.iso.datetime({ offset: true }).optional() })
  .refine((b) => b.fromPosition !== undefined || b.fromTime !== undefined, 'fromPosition or fromTime');
const deliveriesQuery = z.object({ status: z.enum(['pending', 'delivered', 'dead']).optional() });

/** Webhook subscriptions of the caller's city (integrators and the office). */
@Controller('api/v1/webhooks')
@Requires('webhooks.manage')
export class WebhooksHttpController {
  constructor(@Inject(WEBHOOKS) private readonly webhooks: Webhooks) {}

  /** `201 {"id","secret",…}`: the secret signs every delivery and is shown only here. */
  @Doc({ summary: "Subscribes a URL to the city's events: deliveries are signed CloudEvents; the secret is shown only here", body: registerBody })
  @Post()
  // The secret is in this answer only: no cache keeps it, nor an Idempotency-Key record.
  @Header('Cache-Control', 'no-store')
  async register(@CurrentActor() actor: RequestActor, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(registerBody, body);
    res.status(201);
    return this.webhooks.register(actor, input);
  }

  @Doc({ summary: "The city's webhooks (no secrets)" })
  @Get()
  async list(@CurrentActor() actor: RequestActor) {
    return { items: await this.webhooks.list(actor) };
  }

  @Doc({ summary: 'One webhook' })
  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    return this.webhooks.get(actor, id);
  }

  @Doc({ summary: 'Removes a webhook' })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    await this.webhooks.remove(actor, id);
  }

  @Doc({ summary: 'Turns a disabled webhook on again' })
  @Post(':id/enable')
  @HttpCode(200)
  enable(@CurrentActor() actor: RequestActor, @Param('id') id: string) {
    return this.webhooks.enable(actor, id);
  }

  /** The delivery log: each event's delivery, its attempts and the receiver's last answer. */
  @Doc({ summary: "The delivery log: attempts and the receiver's last answer", query: deliveriesQuery })
  @Get(':id/deliveries')
  async deliveries(@CurrentActor() actor: RequestActor, @Param('id') id: string, @Query() query: unknown) {
    const { status } = parseInput(deliveriesQuery, query);
    return { items: await this.webhooks.deliveries(actor, id, status) };
  }

  @Doc({ summary: 'Sends one delivery again' })
  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(200)
  redeliver(@CurrentActor() actor: RequestActor, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.redeliver(actor, id, deliveryId);
  }

  /** Sends again every event received from a position or a time on. */
  @Doc({ summary: 'Queues again every event received from a position or a time on', body: replayBody })
  @Post(':id/replay')
  @HttpCode(200)
  replay(@CurrentActor() actor: RequestActor, @Param('id') id: string, @Body() body: unknown) {
    const { fromPosition, fromTime } = parseInput(replayBody, body);
    return this.webhooks.replay(actor, id, { position: fromPosition, time: fromTime ? new Date(fromTime) : undefined });
  }
}
