export * from './city';
