export * from './problem.filter';
export * from './auth';
export * from './request-context';
export * from './http-app';
export * from './health.controller';
export * from './metrics';
export * from './request-policies';
export * from './validation';
