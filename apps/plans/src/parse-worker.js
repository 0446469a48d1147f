// A worker thread that reads uploaded documents (see parse-pool.ts). Plain JavaScript because a worker
// starts with none of its parent's module hooks. Copied beside the compiled code by scripts/build.js, it
// loads that; beside the TypeScript sources (development, Jest), it registers SWC first, as bin/mandate.js does.
const fs = require('node:fs');
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

if (fs.existsSync(path.join(__dirname, 'read-upload.ts'))) {
  process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', '..', '..', 'tsconfig.base.json');
  require('@swc-node/register');
}
const { ImportError } = require('../../../libs/plan-import/src/index');
const { DocumentReadError } = require('../../../libs/document-reader/src/index');
const { parseUpload, readUpload } = require('./read-upload');

// Any format: Word, PDF and scans are read here too (their tools run as child processes, killed on the
// read's time limit), so neither reading nor parsing ever runs on the event loop that answers requests.
parentPort.on('message', async ({ id, bytes, document, directory, leaders, readTimeoutMs }) => {
  try {
    const read = await readUpload(bytes, document, {
      timeoutMs: readTimeoutMs,
      onOcr: () => parentPort.postMessage({ id, ocr: true }),
      onProgress: (progress) => parentPort.postMessage({ id, progress }),
    });
    const parsed = parseUpload(read, { directory, leaders, document });
    parentPort.postMessage({ id, parsed, format: read.format, pages: read.pages });
  } catch (error) {
    const refused =
      error instanceof ImportError
        ? { importCode: error.importCode, document: error.document }
        : error instanceof DocumentReadError
          ? { readCode: error.code }
          : {};
    parentPort.postMessage({ id, error: { message: error instanceof Error ? error.message : String(error), ...refused } });
  }
});
parentPort.postMessage({ ready: true });
