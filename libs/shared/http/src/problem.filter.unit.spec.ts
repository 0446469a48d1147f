import type { Request, Response } from 'express';
import { HttpProblem, sendProblem } from './problem.filter';

const answer = (error: unknown) => {
  const sent: { status?: number; type?: string; body?: Record<string, unknown> } = {};
  const response = {
    status: (s: number) => ((sent.status = s), response),
    type: (t: string) => ((sent.type = t), response),
    json: (b: Record<string, unknown>) => ((sent.body = b), response),
  } as unknown as Response;
  const logged: unknown[] = [];
  sendProblem(error, { originalUrl: '/api/v1/x', correlationId: 'c-1', headers: {} } as unknown as Request, response, {
    error: (o: unknown) => logged.push(o),
  } as never);
  return { ...sent, logged };
};

describe('problem+json answers', () => {
  it('say nothing of an unexpected error but that it was logged: no message, no stack, no path', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const { status, type, body, logged } = answer(error);
    expect(status).toBe(500);
    expect(type).toBe('application/problem+json');
    expect(body).toEqual({
      type: expect.stringMatching(/internal$/),
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged',
      instance: '/api/v1/x',
      traceId: 'c-1',
    });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|ECONNREFUSED|at .*\.ts/);
    expect(logged).toHaveLength(1); // the operator sees it in the log, under the trace id
  });

  it("keep the domain's own words for expected errors", () => {
    expect(answer(new HttpProblem(403, 'permission-denied', 'The role "leader" may not use this route (tasks.act)')).body).toMatchObject({
      status: 403,
      detail: expect.stringContaining('tasks.act'),
    });
  });
});
