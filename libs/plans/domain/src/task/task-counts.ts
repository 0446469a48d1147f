export { countTask, emptyCounts, type CountedTask, type TaskCounts } from '@mandate/kernel';
