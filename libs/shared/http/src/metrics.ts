import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Public } from './auth';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** One registry per process: default Node metrics plus what each service adds. */
export const createMetricsRegistry = (service: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
};

/** HTTP latency by method, route pattern (never the raw URL: ids would explode cardinality) and status. */
export const httpMetricsMiddleware = (registry: Registry) => {
  const histogram = new Histogram({
    name: 'mandate_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = histogram.startTimer();
    res.once('finish', () => {
      const route = (req as Request & { route?: { path?: string } }).route?.path;
      const label = route ? `${req.baseUrl}${route}` : ((res.locals.metricsRoute as string | undefined) ?? 'unmatched');
      end({ method: req.method, route: label, status: String(res.statusCode) });
    });
    next();
  };
};

@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Public()
  @Get('metrics')
  async metrics(@Res() res: Response) {
    res.setHeader('Content-Type', this.registry.contentType);
    res.send(await this.registry.metrics());
  }
}
