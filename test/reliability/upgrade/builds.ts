/** The worker builds of the upgrade drill: the product's workflow bundle with one module swapped. */
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import webpack from 'webpack';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES } from '../../../worker/workflow-code';

const quiet = { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} };

/** The bundle of the workflows as they are, or with agreement-signing.ts replaced by a build's variant. */
export async function workflowBuild(variant: 'b' | 'c' | null): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quiet,
    webpackConfigHook: (config) =>
      variant === null
        ? config
        : {
            ...config,
            plugins: [
              ...(config.plugins ?? []),
              new webpack.NormalModuleReplacementPlugin(/^\.\/agreement-signing$/, path.join(__dirname, `agreement-signing.build-${variant}.ts`)),
            ],
          },
  });
  return code;
}
