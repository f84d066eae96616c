/**
 * Temporal's time-skipping test server (the Java one, collected by setup.sh),
 * with the product's search attributes registered, for workflow tests.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundle, bundleWorkflowCode, makeTelemetryFilterString } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES, toolPath } from '../../lib/dev-stack/local-stack';
import { perFile } from './per-file';

export async function startWorkflowTestEnv(): Promise<TestWorkflowEnvironment> {
  // Business failures are expected in these tests; keep the output to real errors.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  // The Java server gets 5 s to listen (the SDK's fixed limit); a JVM starting on two busy cores may
  // miss it, so a start that timed out is tried again (up to three times) before the file fails.
  let env: TestWorkflowEnvironment | undefined;
  for (let attempt = 1; !env; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
      });
    } catch (err) {
      if (attempt >= 3 || !/did not start within/.test(String((err as Error).message))) throw err;
    }
  }
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((sa) => [sa.split('=')[0], temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
  return env;
}

/**
 * The time-skipping environment of one test file: started before its first test, torn down after
 * its last; the object returned stands for it (`const env = workflowTestEnvForFile()`).
 */
export function workflowTestEnvForFile(): TestWorkflowEnvironment {
  return perFile(startWorkflowTestEnv, (env) => env.teardown());
}

const bundles = new Map<string, Promise<WorkflowBundle>>();
const quiet = { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} };

/**
 * The workflow code at this path, bundled once per test file: a worker given `workflowsPath` would
 * run webpack again for every test (a second or two each), for the same code.
 */
export function workflowBundleOf(workflowsPath: string = require.resolve('../../workflows')): Promise<WorkflowBundle> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) bundles.set(workflowsPath, (bundle = bundleWorkflowCode({ workflowsPath, logger: quiet })));
  return bundle;
}

/** Runs `fn` while a worker with the given activities (doubles) polls a task queue of its own. */
export async function runWorker<T>(env: TestWorkflowEnvironment, activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `q-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundleOf(),
    activities: activities as Activities,
  });
  return worker.runUntil(fn(taskQueue));
}

/** The error id an Update was refused with (its validator or handler), or undefined when it was accepted. */
export async function updateFailureType(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
    throw err;
  }
  return undefined;
}
