export * from './api-keys';
export * from './api-keys.http.controller';
