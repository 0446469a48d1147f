export * from './plan-feed';
export * from './consolidation';
export * from './report-document';
export * from './agency-report/agency-report';
export * from './dashboard';
export * from './indicators';
