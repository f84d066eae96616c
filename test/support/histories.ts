/**
 * The replay corpus (test/replay): histories of every workflow type × path, recorded by the
 * workflow tests when CAPTURE_HISTORIES is set (`npm run histories:capture`). A history that
 * is already in the corpus is kept: the corpus holds what older code wrote, which is what the
 * replay test must keep accepting. CAPTURE_HISTORIES=overwrite records them again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type ReplayPath, type WorkflowTypeName, isManifestPair } from '../replay/manifest';

export const HISTORIES_DIR = path.resolve(__dirname, '../replay/histories');

export function historyFile(workflowType: string, replayPath: string): string {
  return path.join(HISTORIES_DIR, workflowType, `${replayPath}.json`);
}

/**
 * Records the history of one run (the first run of the id when no run id is given) as
 * the corpus entry for workflow type × path. A no-op unless CAPTURE_HISTORIES is set.
 */
export async function keepHistory(client: Client, workflowId: string, replayPath: ReplayPath, runId?: string): Promise<void> {
  const mode = process.env.CAPTURE_HISTORIES;
  if (!mode) return;
  const handle = client.workflow.getHandle(workflowId, runId);
  const { type } = await handle.describe();
  if (!isManifestPair(type, replayPath)) throw new Error(`${type} × ${replayPath} is not in test/replay/manifest.ts`);
  const file = historyFile(type as WorkflowTypeName, replayPath);
  if (fs.existsSync(file) && mode !== 'overwrite') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // One event per line: small, and a diff shows which events changed.
  const { events } = historyAsJson(history) as { events: unknown[] };
  fs.writeFileSync(file, `{"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
}

const JSON_FORM = { longs: String, enums: String, bytes: String, defaults: false } as const;

/** A history as plain JSON (enums by name, 64-bit numbers and bytes as strings): readable and diffable. */
export function historyAsJson(history: temporal.api.history.v1.IHistory): unknown {
  return temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), JSON_FORM);
}

export function historyFromFile(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(file, 'utf8')));
}
