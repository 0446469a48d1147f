export * from './message';
export * from './errors';
export * from './clock';
export * from './reporting-periods';
export * from './monitoring';
export * from './vietnamese-number';
export * from './vietnamese-text';
export * from './local-time';
