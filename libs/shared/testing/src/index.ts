export * from './decider-specification';
export * from './database';
