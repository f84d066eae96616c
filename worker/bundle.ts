/**
 * Builds the workflow bundle ahead of time: `tsx worker/bundle.ts <file>`.
 * A worker given WORKFLOW_BUNDLE loads it instead of bundling the workflows
 * itself at start, which saves it a few seconds and the ~250 MB peak of the
 * bundler (the bundle is made by this short-lived process instead).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES } from './workflow-code';

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx worker/bundle.ts <output file>');
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
}

main().catch((err) => {
  console.error('[bundle] failed:', err);
  process.exit(1);
});
