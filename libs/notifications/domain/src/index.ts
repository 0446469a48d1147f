export * from './settings';
export * from './notices';
export * from './delivery';
export * from './reminders';
