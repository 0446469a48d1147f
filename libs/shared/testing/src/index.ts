export * from './decider-specification';
export * from './database';
export * from './cloud-events';
export * from './smtp-sink';
export * from './as-stored';
