/**
 * The flows the fault tests keep in flight, each driven through the API the
 * way its people would: a member who retries after an error page and resumes
 * where the flow is, a platform that sends signing links, an import that a
 * reviewer approves. Every driver retries what failed because a component was
 * down and returns when its flow is finished (or throws at its deadline).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TEMPLATE_COLUMNS } from '../../domain/member-file';
import { cardNumber, idNumber, withConsent } from '../support/fixtures';
import { createOnboardedMember, createTenant, testNow, uniquePhone } from '../support/harness';
import { SCALE } from './scale';
import type { ReliabilityStack } from './stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Statuses a person would meet while a component is down or busy, and simply try again after. */
function transient(res: request.Response): boolean {
  return res.status >= 500 || res.status === 429 || res.body?.error?.id === 'onboarding.busy';
}

async function call(send: () => request.Test, deadline: number): Promise<request.Response> {
  for (;;) {
    let res: request.Response | null = null;
    try {
      res = await send();
    } catch {
      res = null; // connection refused / reset while a component restarts
    }
    if (res && !transient(res)) return res;
    if (Date.now() > deadline) throw new Error(`gave up: ${res?.status} ${JSON.stringify(res?.body)}`);
    await sleep(300 + Math.random() * 500);
  }
}

export interface Platform {
  tenant: Awaited<ReturnType<typeof createTenant>>;
  agent: ReturnType<typeof request.agent>;
  reviewer: ReturnType<typeof request.agent>;
}

export async function platformOf(stack: ReliabilityStack): Promise<Platform> {
  const tenant = await createTenant(stack.services);
  const r = await createTenant(stack.services, 'REVIEWER');
  const signIn = async (username: string, password: string) => {
    const agent = request.agent(stack.app.app);
    await agent.post('/api/auth/login').send({ username, password }).expect(200);
    return agent;
  };
  // Batch imports need the window open; its own flow is tested elsewhere.
  await stack.services.prisma.importWindow.create({
    data: {
      applicationId: tenant.application.id,
      status: 'OPEN',
      reason: 'reliability',
      requestedById: tenant.user.id,
      workflowId: `reliability-window-${randomUUID()}`,
      openedAt: new Date(),
      closesAt: new Date(testNow().getTime() + 86_400_000),
    },
  });
  return { tenant, agent: await signIn(tenant.username, tenant.password), reviewer: await signIn(r.username, r.password) };
}

/** The newest SMS code of a kind that reached this phone. */
function latestCode(stack: ReliabilityStack, phone: string, kind: '绑定手机号' | '签署协议'): string | null {
  const sms = stack.outbox.messages().filter((m) => m.to === `+86${phone}` && m.body.includes(kind));
  return /验证码(\d{6})/.exec(sms.at(-1)?.body ?? '')?.[1] ?? null;
}

/** 自主开户 of an individual, start to finish, as a member who resumes after every error. */
export async function onboardIndividual(stack: ReliabilityStack, platform: Platform, timeoutMs: number): Promise<{ memberId: string; bizUserId: string }> {
  const started = await startOnboarding(stack, platform, timeoutMs, 'COMPLETED');
  return { memberId: started.memberId, bizUserId: started.bizUserId };
}

/**
 * An individual's onboarding driven until it reaches `until` (a member who stops at the signing
 * page, say); `resume` goes on from there to the end.
 */
export async function startOnboarding(stack: ReliabilityStack, platform: Platform, timeoutMs: number, until: 'AGREEMENT_SIGNING' | 'COMPLETED') {
  let deadline = Date.now() + timeoutMs;
  const bizUserId = `r-${randomUUID().slice(0, 8)}`;
  let created = await call(() => platform.agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId, name: '可靠性会员' }), deadline);
  if (created.status === 409 && created.body?.error?.id === 'member.duplicate') {
    // The first try was written but its answer lost (a restart): as a person would, open the member
    // and have a new link made (重新生成链接).
    const found = await call(() => platform.agent.get('/api/members').query({ keyword: bizUserId }), deadline);
    const id = found.body.items?.[0]?.id as string | undefined;
    if (!id) throw new Error(`member ${bizUserId} said to exist, but not found`);
    const link = await call(() => platform.agent.post(`/api/members/${id}/onboarding/link`), deadline);
    const detail = await call(() => platform.agent.get(`/api/members/${id}`), deadline);
    created = { ...link, status: 201, body: { member: detail.body, link: link.body.link } } as typeof created;
  }
  if (created.status !== 201) throw new Error(`member not created: ${created.status} ${JSON.stringify(created.body)}`);
  const token = String(created.body.link.url).split('/onboard/')[1]!;
  const member = request.agent(stack.app.app);
  const phone = uniquePhone();
  const person = { name: '可靠性会员', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone };
  const drive = async (goal: 'AGREEMENT_SIGNING' | 'COMPLETED') => {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`onboarding ${bizUserId} did not finish`);
      const view = await call(() => member.get(`/api/onboarding/${token}`), deadline);
      const stage = view.body.stage as string;
      if (stage === goal || stage === 'COMPLETED') return;
      if (stage === 'INFORMATION') {
        await call(() => member.post(`/api/onboarding/${token}/real-name`).send(withConsent(person)), deadline);
      } else if (stage === 'PHONE_BINDING') {
        if (!latestCode(stack, phone, '绑定手机号')) await call(() => member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' }), deadline);
        const code = latestCode(stack, phone, '绑定手机号');
        if (code) {
          const bound = await call(() => member.post(`/api/onboarding/${token}/phone-binding`).send({ code }), deadline);
          // A code lost with a crashed worker: ask for a new one (after the cooldown, which `call` waits out).
          if (bound.body?.error?.id?.startsWith('sms.'))
            await call(() => member.post(`/api/onboarding/${token}/phone-code`).send({ source: 'ON_FILE' }), deadline);
        }
      } else if (stage === 'AGREEMENT_SIGNING') {
        let code = latestCode(stack, phone, '签署协议');
        if (!code) {
          await sleep(1000); // binding sends the signing code by itself
          code = latestCode(stack, phone, '签署协议');
          if (!code) await call(() => member.post(`/api/onboarding/${token}/signing-code`).send({}), deadline);
          continue;
        }
        const signed = await call(() => member.post(`/api/onboarding/${token}/agreement-signature`).send({ code }), deadline);
        if (signed.body?.error?.id?.startsWith('sms.')) await call(() => member.post(`/api/onboarding/${token}/signing-code`).send({}), deadline);
      } else {
        throw new Error(`onboarding ${bizUserId} ended at ${stage}`);
      }
    }
  };
  await drive(until);
  return {
    memberId: created.body.member.id as string,
    bizUserId,
    workflowId: created.body.member.onboardings[0].workflowId as string,
    async resume(resumeTimeoutMs: number) {
      deadline = Date.now() + resumeTimeoutMs;
      await drive('COMPLETED');
    },
  };
}

/** 批量发送签约链接 to members of its own; done when every link went out. */
export async function sendSigningLinks(stack: ReliabilityStack, platform: Platform, members: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const ids: string[] = [];
  // The batch's members are the platform's data already: written directly, and again after a fault
  // (PostgreSQL restarting) refused the write — a member whose answer was lost is simply not used.
  for (let i = 0; i < members; i++) ids.push((await settingUp(() => createOnboardedMember(stack.services, platform.tenant.application.id), deadline)).id);
  const started = await call(() => platform.agent.post('/api/acquiring/signing-batches').send({ memberIds: ids }), deadline);
  if (started.status !== 202) throw new Error(`batch not started: ${started.status} ${JSON.stringify(started.body)}`);
  for (;;) {
    const batch = await call(() => platform.agent.get(`/api/acquiring/signing-batches/${started.body.id}`), deadline);
    if (batch.body.status === 'COMPLETED') return { batchId: started.body.id as string, members: ids.length, ...batch.body };
    if (Date.now() > deadline) throw new Error(`batch ${started.body.id} did not finish: ${JSON.stringify(batch.body)}`);
    await sleep(500);
  }
}

/** 会员批导 of `rows` individuals: upload, submit, a reviewer approves, it executes. */
export async function importMembers(stack: ReliabilityStack, platform: Platform, rows: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const prefix = `I${randomUUID().slice(0, 6)}`;
  const lines = [TEMPLATE_COLUMNS.INDIVIDUAL.join(',')];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},导入会员,身份证,${idNumber()},${uniquePhone()},`);
  const up = await call(
    () =>
      platform.agent
        .post('/api/imports')
        .field('kind', 'INDIVIDUAL')
        .attach('file', Buffer.from(lines.join('\n')), `${prefix}.csv`),
    deadline,
  );
  if (up.status !== 201 || up.body.invalidRows !== 0) throw new Error(`upload refused: ${up.status} ${JSON.stringify(up.body)}`);
  const taskId = up.body.id as string;
  await call(() => platform.agent.post(`/api/imports/${taskId}/submission`).send({ consentAttested: true }), deadline);
  for (;;) {
    const item = await stack.services.prisma.reviewItem.findFirst({ where: { subjectId: taskId }, select: { id: true, status: true } }).catch(() => null);
    if (item?.status === 'APPROVED') break;
    if (item) await call(() => platform.reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true }), deadline);
    if (Date.now() > deadline) throw new Error(`import ${taskId} was never approved`);
    await sleep(300);
  }
  for (;;) {
    const task = await call(() => platform.agent.get(`/api/imports/${taskId}`), deadline);
    if (task.body.status === 'COMPLETED') return { taskId, rows, ...task.body };
    if (Date.now() > deadline) throw new Error(`import ${taskId} did not finish: ${JSON.stringify(task.body)}`);
    await sleep(500);
  }
}

/** Test data written straight to the database, tried again while a fault lasts. */
async function settingUp<T>(write: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** How far a run of flows has come: a fault counts only when it met flows in flight. */
export class Progress {
  started = 0;
  done = 0;
  inFlight(): number {
    return this.started - this.done;
  }
}

/** Runs `tasks` with at most `limit` at once, counting them in `progress`. */
export async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number, progress = new Progress()): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        progress.started++;
        try {
          results[i] = await tasks[i]!();
        } finally {
          progress.done++;
        }
      }
    }),
  );
  return results;
}

/** What must hold after any fault: each SMS key once, each member and card once, each import row with its result. */
export async function invariants(stack: ReliabilityStack, applicationId: string) {
  const { prisma } = stack.services;
  const sentRows = await prisma.smsMessage.count({ where: { status: 'SENT' } });
  const sms = stack.outbox.messages().filter((m) => m.channel === 'sms');
  // Every message is unique (codes are random, links carry their own token): the same text twice to one phone is a duplicate send.
  const seen = new Map<string, number>();
  for (const m of sms) seen.set(`${m.to}\u0000${m.body}`, (seen.get(`${m.to}\u0000${m.body}`) ?? 0) + 1);
  const [dupMembers] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "bizUserId" FROM "Member" WHERE "applicationId" = ${applicationId}::uuid GROUP BY "bizUserId" HAVING count(*) > 1) d`;
  const [dupCards] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "memberId" FROM "BankCard" GROUP BY "memberId", "cardDigest" HAVING count(*) > 1) d`;
  const rowsWithoutResult = await prisma.importRow.count({ where: { task: { applicationId }, resultCode: null } });
  return {
    smsDelivered: sms.length,
    smsKeysSent: sentRows,
    duplicateSms: [...seen.values()].filter((n) => n > 1).length,
    duplicateMembers: Number(dupMembers?.n ?? 0),
    duplicateCards: Number(dupCards?.n ?? 0),
    rowsWithoutResult,
  };
}

/** Every flow the drivers ran is finished in the database, with exactly the members it should have made. */
export async function expectFlowsFinished(stack: ReliabilityStack, applicationId: string, ran: { onboardings: number; batches: number; imports: number }) {
  const { prisma } = stack.services;
  expect(await prisma.onboardingSession.count({ where: { applicationId, stage: 'COMPLETED' } })).toBe(ran.onboardings);
  const batches = await prisma.signingBatch.findMany({ where: { applicationId } });
  expect(batches.map((b) => [b.status, b.sent])).toEqual(Array.from({ length: ran.batches }, () => ['COMPLETED', SCALE.membersPerBatch]));
  const tasks = await prisma.importTask.findMany({ where: { applicationId } });
  expect(tasks.map((t) => [t.status, t.succeeded])).toEqual(Array.from({ length: ran.imports }, () => ['COMPLETED', SCALE.rowsPerImport]));
  const members = ran.onboardings + ran.batches * SCALE.membersPerBatch + ran.imports * SCALE.rowsPerImport;
  expect(await prisma.member.count({ where: { applicationId } })).toBe(members);
  expect(await prisma.bankCard.count({ where: { member: { applicationId } } })).toBe(ran.onboardings);
  const found = await invariants(stack, applicationId);
  expect(found).toMatchObject({ duplicateSms: 0, duplicateMembers: 0, duplicateCards: 0, rowsWithoutResult: 0 });
  return { members, ...found };
}
