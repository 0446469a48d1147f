import { createLogger, MemorySharedState } from '@mandate/runtime';
import type { Request, Response } from 'express';
import { rateLimitMiddleware } from './request-policies';

const logger = createLogger('silent');

const request = (userId: string) =>
  ({
    path: '/api/v1/plans',
    ip: '127.0.0.1',
    originalUrl: '/api/v1/plans',
    headers: {},
    actor: { userId, cityId: 'ha-noi', role: 'office', agencyId: null },
  }) as unknown as Request;

const response = () => {
  const res = { statusCode: 200, headers: {} as Record<string, string>, body: undefined as unknown };
  return Object.assign(res, {
    setHeader: (name: string, value: string) => void (res.headers[name.toLowerCase()] = value),
    status: (code: number) => ((res.statusCode = code), res),
    type: () => res,
    json: (body: unknown) => ((res.body = body), res),
  }) as unknown as Response & typeof res;
};

describe('Rate limits', () => {
  it('let a user make the allowed number of requests a minute, then answer 429 with Retry-After', async () => {
    const limit = rateLimitMiddleware(new MemorySharedState(), 3, logger);
    const passed: number[] = [];
    let last = response();
    for (let i = 1; i <= 4; i++) {
      last = response();
      await limit(request('u1'), last, () => passed.push(i));
    }
    expect(passed).toEqual([1, 2, 3]);
    expect(last.statusCode).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.body).toMatchObject({ type: expect.stringContaining('rate-limited'), status: 429 });
  });

  it('count each user separately', async () => {
    const limit = rateLimitMiddleware(new MemorySharedState(), 1, logger);
    const passed: string[] = [];
    await limit(request('u1'), response(), () => passed.push('u1'));
    await limit(request('u2'), response(), () => passed.push('u2'));
    expect(passed).toEqual(['u1', 'u2']);
  });
});
