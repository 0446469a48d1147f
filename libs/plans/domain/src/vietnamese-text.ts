// Text forms for matching Vietnamese sources live in the shared kernel (reporting matches names too).
export { collapse, foldVietnamese } from '@mandate/kernel';
