export * from './plan-summary.projection';
