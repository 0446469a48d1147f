export * from './consumer-service';
export * from './kafka-metrics';
export * from './service-http';
