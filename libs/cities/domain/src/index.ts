export * from './city';
export * from './directory';
