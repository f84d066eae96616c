/**
 * Starting a flow after the rows it works on were written, when the start's outcome may be unknown.
 *
 * A start either reached Temporal or it did not, and when the connection fails the API cannot
 * tell which. Deleting the rows then could leave a running flow without them, so the rule is:
 * - started, or "already started" (an earlier attempt whose answer was lost): done;
 * - Temporal answered no (bad request, unknown namespace, rate limit): the start surely did not
 *   happen, the caller undoes its rows (never its audit rows) and the user is told to retry;
 * - no answer: the start is retried (it is idempotent by its workflow id); still no answer, it is
 *   recorded as a PendingFlowStart and the reconciler in the worker starts it once Temporal answers.
 */
import type { PrismaClient } from '@prisma/client';
import { type Client, WorkflowExecutionAlreadyStartedError, isGrpcServiceError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import type { FieldCrypto } from './field-crypto';

/** The start, as it is stored for the reconciler: plain JSON. */
export interface FlowStartOptions {
  taskQueue: string;
  args: unknown[];
  typedSearchAttributes: { key: { name: string; type: string }; value: string }[];
  workflowIdReusePolicy: 'REJECT_DUPLICATE';
}

export interface FlowStart {
  workflowType: string;
  workflowId: string;
  /** What the flow is, in the business's words. */
  what: string;
  options: FlowStartOptions;
}

export type StartOutcome = 'STARTED' | 'REFUSED' | 'PENDING';

/** gRPC answers that mean Temporal received the start and did not run it. */
const REFUSALS = new Set<number>([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND (e.g. the namespace)
  7, // PERMISSION_DENIED
  8, // RESOURCE_EXHAUSTED (rate limited)
  9, // FAILED_PRECONDITION
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (isGrpcServiceError(e)) return e.code;
  return undefined;
}

/** Temporal answered no: the start did not happen. */
export function isStartRefused(err: unknown): boolean {
  if (err instanceof NamespaceNotFoundError) return true;
  const code = grpcCode(err);
  return code !== undefined && REFUSALS.has(code);
}

async function send(temporal: Client, start: FlowStart): Promise<'STARTED' | 'REFUSED'> {
  try {
    await temporal.workflow.start(start.workflowType, {
      workflowId: start.workflowId,
      ...(start.options as Omit<FlowStartOptions, 'typedSearchAttributes'>),
      typedSearchAttributes: start.options.typedSearchAttributes as never,
    });
    return 'STARTED';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'STARTED';
    if (isStartRefused(err)) return 'REFUSED';
    throw err;
  }
}

export interface FlowStartDeps {
  prisma: PrismaClient;
  crypto: FieldCrypto;
  temporal: Client;
  log?: (message: string, err?: unknown) => void;
  /** Pauses between attempts without an answer (ms). */
  retryDelaysMs?: number[];
}

const DEFAULT_RETRY_DELAYS_MS = [200, 1000];

/** Starts the flow; see the module's rule for what each outcome leaves behind. */
export async function startFlowOnce(deps: FlowStartDeps, start: FlowStart): Promise<StartOutcome> {
  const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let lastError: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
    try {
      return await send(deps.temporal, start);
    } catch (err) {
      lastError = err;
    }
  }
  await deps.prisma.pendingFlowStart.upsert({
    where: { workflowId: start.workflowId },
    create: {
      workflowId: start.workflowId,
      workflowType: start.workflowType,
      what: start.what,
      optionsEnc: deps.crypto.encrypt(JSON.stringify(start.options)),
      lastError: describe(lastError),
    },
    update: { lastError: describe(lastError) },
  });
  deps.log?.(`[flow-starts] ${start.what} ${start.workflowId}: no answer from Temporal, left for the reconciler`, lastError);
  return 'PENDING';
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

/**
 * Starts every pending flow older than `minAgeMs` (the API's own retries had their chance);
 * a start that succeeds, or finds its flow already running, is settled. Returns how many were.
 */
export async function reconcilePendingStarts(deps: FlowStartDeps, opts: { minAgeMs?: number; now?: Date } = {}): Promise<number> {
  const before = new Date((opts.now ?? new Date()).getTime() - (opts.minAgeMs ?? 10_000));
  const pending = await deps.prisma.pendingFlowStart.findMany({ where: { createdAt: { lte: before } }, orderBy: { createdAt: 'asc' }, take: 100 });
  let settled = 0;
  for (const row of pending) {
    const start: FlowStart = {
      workflowType: row.workflowType,
      workflowId: row.workflowId,
      what: row.what,
      options: JSON.parse(deps.crypto.decrypt(row.optionsEnc)) as FlowStartOptions,
    };
    try {
      const outcome = await send(deps.temporal, start);
      if (outcome === 'STARTED') {
        await deps.prisma.pendingFlowStart.delete({ where: { workflowId: row.workflowId } });
        settled++;
        continue;
      }
      await deps.prisma.pendingFlowStart.update({
        where: { workflowId: row.workflowId },
        data: { attempts: { increment: 1 }, lastError: 'Temporal refused the start' },
      });
    } catch (err) {
      await deps.prisma.pendingFlowStart.update({ where: { workflowId: row.workflowId }, data: { attempts: { increment: 1 }, lastError: describe(err) } });
    }
  }
  return settled;
}
