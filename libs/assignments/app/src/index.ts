export * from './work-queue.projection';
