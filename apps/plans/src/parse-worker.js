// A worker thread that reads uploaded documents (see parse-pool.ts). Plain JavaScript because a worker
// starts with none of its parent's module hooks: like bin/mandate.js, it registers SWC and loads the
// TypeScript sources, so it runs the same way under `mandate start`, the Docker image and Jest.
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', '..', '..', 'tsconfig.base.json');
require('@swc-node/register');
const { decodeDocument, ImportError, parsePlan } = require('../../../libs/plan-import/src/index.ts');

parentPort.on('message', ({ id, bytes, document, directory, leaders }) => {
  try {
    const parsed = parsePlan(decodeDocument(bytes, document), { directory, leaders, document });
    parentPort.postMessage({ id, parsed });
  } catch (error) {
    const refused = error instanceof ImportError ? { importCode: error.importCode, document: error.document } : {};
    parentPort.postMessage({ id, error: { message: error instanceof Error ? error.message : String(error), ...refused } });
  }
});
parentPort.postMessage({ ready: true });
