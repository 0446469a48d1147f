export * from './task-status';
export * from './timeliness';
export * from './task-counts';
export * from './succession';
