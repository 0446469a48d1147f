export * from './plan-summary.projection';
export * from './plan-feed.store';
export * from './agency-reports';
export * from './reporting-intake';
export * from './reporting-rebuild';
export * from './report-contract-mapper';
export * from './reporting-topic-source';
export * from './report-overdue-scheduler';
