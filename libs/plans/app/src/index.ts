export * from './actor';
export * from './command-handler';
export * from './contract-mapper';
export * from './plans-read-model';
export * from './plans-topic-source';
export * from './plans.service';
export type { StoredEvent as StoredEventView } from '@mandate/event-store';
export * from './upcasters';
export * from './deadline-scheduler';
