import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from './auth';
import type { Response } from 'express';

export const READINESS = Symbol('READINESS');
export type Readiness = () => Promise<boolean>;

@Controller()
export class HealthController {
  constructor(@Inject(READINESS) private readonly ready: Readiness) {}

  /** 200 when every service's database answers and start-up (migrations, seeds) is done. */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response) {
    const ok = await this.ready().catch(() => false);
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable' };
  }
}
