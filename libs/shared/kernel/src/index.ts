export * from './message';
export * from './errors';
export * from './clock';
export * from './reporting-periods';
export * from './monitoring';
