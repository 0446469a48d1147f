// Timeliness, labels and report counts are the monitoring vocabulary every context shares (kernel).
export { ADJUSTED_LABEL, DEFAULT_DUE_SOON_DAYS, endOfDueDay, statusLabel, timelinessOf, type Timeliness } from '@mandate/kernel';
