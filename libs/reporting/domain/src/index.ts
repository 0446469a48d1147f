export * from './plan-feed';
export * from './consolidation';
export * from './report-document';
