export * from './report-document';
export { renderXlsx } from './xlsx';
export { renderDocx } from './docx';
export { renderCsv } from './csv';
export { renderPdf } from './pdf';
