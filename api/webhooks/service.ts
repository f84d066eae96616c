/**
 * 事件推送 (member event stream → the application's webhook): configuration,
 * the key that signs deliveries (shown once), events with their delivery
 * state, the delivery log, and replay from an event on. Delivery itself is the
 * application's memberEventDelivery workflow.
 */
import { randomBytes } from 'node:crypto';
import { BusinessError } from '../../domain/errors';
import { MEMBER_EVENT_LABELS, type MemberEventType } from '../../domain/member-events';
import { memberEventDeliveryWorkflowId } from '../../workflows/ids';
import { wakeSignal, memberEventDeliveryWorkflow } from '../../workflows/member-event-delivery/messages';
import { BUSINESS_KEY } from '../../workflows/search-attributes';
import { auditOf } from '../audit';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import type { Pagination } from '../pagination';

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** Starts the application's delivery workflow, or wakes the running one. */
async function wakeDelivery(deps: AppDeps, applicationId: string) {
  const app = await deps.services.prisma.application.findUniqueOrThrow({ where: { id: applicationId }, select: { appNo: true } });
  await deps.temporal.workflow.signalWithStart(memberEventDeliveryWorkflow, {
    workflowId: memberEventDeliveryWorkflowId(app.appNo),
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [{ applicationId, pollMs: deps.config.WEBHOOK_POLL_MS }],
    signal: wakeSignal,
    signalArgs: [],
    typedSearchAttributes: [{ key: BUSINESS_KEY, value: `${app.appNo}/webhook` }],
  });
}

export async function getWebhook(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const [hook, latest] = await Promise.all([
    prisma.webhook.findUnique({ where: { applicationId } }),
    prisma.memberEvent.findFirst({ where: { applicationId }, orderBy: { id: 'desc' }, select: { id: true } }),
  ]);
  const pending = hook ? await prisma.memberEvent.count({ where: { applicationId, id: { gt: hook.deliveredThrough } } }) : 0;
  return {
    configured: !!hook,
    url: hook?.url ?? null,
    enabled: hook?.enabled ?? false,
    deliveredThrough: hook?.deliveredThrough.toString() ?? null,
    latestEventId: latest?.id.toString() ?? null,
    pending,
    signing: 'X-YST-Signature: sha256=HMAC_SHA256(密钥, X-YST-Timestamp + "." + 请求体)',
  };
}

/** Saves the URL (and on/off); the first save creates the signing key and returns it once. */
export async function saveWebhook(deps: AppDeps, actor: Actor, input: { url: string; enabled: boolean }) {
  const applicationId = applicationScope(actor);
  const { prisma, crypto } = deps.services;
  const existing = await prisma.webhook.findUnique({ where: { applicationId } });
  const secret = existing ? null : newSecret();
  await prisma.$transaction([
    existing
      ? prisma.webhook.update({ where: { applicationId }, data: { url: input.url, enabled: input.enabled } })
      : // Events from before the webhook existed are not pushed; a replay can send them.
        prisma.webhook.create({
          data: {
            applicationId,
            url: input.url,
            enabled: input.enabled,
            secretEnc: crypto.encrypt(secret!),
            deliveredThrough: (await prisma.memberEvent.findFirst({ where: { applicationId }, orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n,
          },
        }),
    prisma.auditLog.create(auditOf(actor, existing ? 'webhook.update' : 'webhook.create', `application:${applicationId}`, input)),
  ]);
  if (input.enabled) await wakeDelivery(deps, applicationId);
  return { ...(await getWebhook(deps, actor)), ...(secret ? { secret } : {}) };
}

/** A new signing key, returned once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(deps: AppDeps, actor: Actor) {
  const applicationId = applicationScope(actor);
  const { prisma, crypto } = deps.services;
  const secret = newSecret();
  const { count } = await prisma.webhook.updateMany({ where: { applicationId }, data: { secretEnc: crypto.encrypt(secret) } });
  if (count === 0) throw new BusinessError('webhook.not_configured');
  await prisma.auditLog.create(auditOf(actor, 'webhook.rotate_secret', `application:${applicationId}`));
  return { secret };
}

export async function listMemberEvents(deps: AppDeps, actor: Actor, input: Pagination & { type?: MemberEventType }) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const where = { applicationId, ...(input.type ? { type: input.type } : {}) };
  const [hook, total, rows] = await Promise.all([
    prisma.webhook.findUnique({ where: { applicationId }, select: { deliveredThrough: true } }),
    prisma.memberEvent.count({ where }),
    prisma.memberEvent.findMany({ where, orderBy: { id: 'desc' }, ...pageWindow(input) }),
  ]);
  const attempts = await prisma.webhookDelivery.groupBy({
    by: ['eventId'],
    where: { applicationId, eventId: { in: rows.map((r) => r.id) } },
    _count: { _all: true },
    _max: { at: true },
  });
  const attemptsOf = new Map(attempts.map((a) => [a.eventId.toString(), a._count._all]));
  return pageOf(input, total, rows, (e) => ({
    id: e.id.toString(),
    type: e.type,
    typeLabel: MEMBER_EVENT_LABELS[e.type as MemberEventType] ?? e.type,
    memberId: e.memberId,
    bizUserId: e.bizUserId,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
    delivered: hook ? e.id <= hook.deliveredThrough : false,
    attempts: attemptsOf.get(e.id.toString()) ?? 0,
  }));
}

export async function listDeliveries(deps: AppDeps, actor: Actor, input: Pagination & { eventId?: bigint }) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const where = { applicationId, ...(input.eventId ? { eventId: input.eventId } : {}) };
  const [total, rows] = await Promise.all([
    prisma.webhookDelivery.count({ where }),
    prisma.webhookDelivery.findMany({ where, orderBy: { id: 'desc' }, ...pageWindow(input) }),
  ]);
  return pageOf(input, total, rows, (d) => ({
    id: d.id.toString(),
    eventId: d.eventId.toString(),
    attempt: d.attempt,
    url: d.url,
    statusCode: d.statusCode,
    error: d.error,
    durationMs: d.durationMs,
    ok: d.ok,
    at: d.at.toISOString(),
  }));
}

/** 重新推送: every event from `fromEventId` on is delivered again, in order. */
export async function replayMemberEvents(deps: AppDeps, actor: Actor, fromEventId: bigint) {
  const applicationId = applicationScope(actor);
  const { prisma } = deps.services;
  const [hook, event] = await Promise.all([
    prisma.webhook.findUnique({ where: { applicationId } }),
    prisma.memberEvent.findFirst({ where: { id: fromEventId, applicationId } }),
  ]);
  if (!hook) throw new BusinessError('webhook.not_configured');
  if (!event) throw new BusinessError('resource.not_found', '事件不存在');
  await prisma.$transaction([
    prisma.webhook.updateMany({ where: { applicationId, deliveredThrough: { gte: fromEventId } }, data: { deliveredThrough: fromEventId - 1n } }),
    prisma.auditLog.create(auditOf(actor, 'webhook.replay', `application:${applicationId}`, { fromEventId: fromEventId.toString() })),
  ]);
  if (hook.enabled) await wakeDelivery(deps, applicationId);
  return getWebhook(deps, actor);
}
