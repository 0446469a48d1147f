export * from './consumer-service';
export * from './kafka-metrics';
export * from './service-http';
export * from './events-transport';
export * from './city-feed';
