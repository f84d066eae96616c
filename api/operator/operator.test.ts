import { BUSINESS_KEY, ONBOARDING_STAGE } from '../../workflows/search-attributes';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { createTenant, eventually, outboxWait, signIn, uniquePhone, testNow, fileHarness } from '../../test/support/harness';

describe('operator console: every flow in one list, filters, detail and audited actions', () => {
  const h = fileHarness();

  async function operator() {
    const op = await createTenant(h.services, 'OPERATOR');
    return signIn(h.app, op.username, op.password);
  }

  it('lists onboardings and import windows from the read model with who they wait for; filters and searches', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    const phone = uniquePhone();
    await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: 'ops-1', name: '丁一' }).expect(201);
    await agent
      .post('/api/members/proxy')
      .send({ type: 'INDIVIDUAL', bizUserId: 'ops-2', realName: { name: '钱二', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone } })
      .expect(201);
    await agent.post('/api/imports/window/requests').send({ reason: '存量会员导入' }).expect(201);
    const ops = await operator();

    const all = await eventually(
      () => ops.get('/api/operator/workflows').query({ application: t.application.appNo }),
      (r) => r.body.items?.length === 3,
      'three flows of the application in the console',
    );
    const byFlow = Object.fromEntries(all.body.items.map((i: { flow: string; stage: string }) => [`${i.flow}:${i.stage}`, i]));
    expect(byFlow['member-onboarding:INFORMATION']).toMatchObject({
      flowLabel: '会员开户',
      businessKey: `${t.application.appNo}/ops-1`,
      waitingFor: 'MEMBER',
      waitingForLabel: '会员',
      closed: false,
      actions: ['cancel', 'extend', 'resend'], // no 重试: nothing failed
      member: { bizUserId: 'ops-1' },
      application: { appNo: t.application.appNo },
    });
    expect(byFlow['member-onboarding:INFORMATION'].timeLeftMs).toBeGreaterThan(6 * 24 * 3600 * 1000);
    expect(byFlow['member-onboarding:CONFIRMATION']).toMatchObject({ waitingFor: 'MEMBER', member: { bizUserId: 'ops-2' } });
    expect(byFlow['import-window:IN_REVIEW']).toMatchObject({ flowLabel: '批导入口开放', waitingFor: 'REVIEWER', deadline: null });

    const count = async (query: Record<string, string>) =>
      (
        await ops
          .get('/api/operator/workflows')
          .query({ application: t.application.appNo, ...query })
          .expect(200)
      ).body.total;
    expect(await count({ flow: 'import-window' })).toBe(1);
    expect(await count({ waitingFor: 'REVIEWER' })).toBe(1);
    expect(await count({ stage: 'CONFIRMATION' })).toBe(1);
    expect(await count({ q: '钱二' })).toBe(1);
    expect(await count({ q: 'ops-2' })).toBe(1);
    expect(await count({ q: phone })).toBe(1); // a full phone matches its masked form
    expect(await count({ q: phone.slice(-4) })).toBe(1);
    expect(await count({ stuckDays: '1' })).toBe(0);
    expect(await count({ failing: 'true' })).toBe(0);
    expect(await count({ closed: 'false' })).toBe(3);
    expect((await ops.get('/api/operator/workflows').query({ application: 'NO-SUCH-APP' })).body.total).toBe(0);

    // A flow stuck in its stage for days shows up under "stuck longer than N days".
    await h.services.prisma.flowInstance.update({
      where: { workflowId: byFlow['import-window:IN_REVIEW'].workflowId },
      data: { stageSince: new Date(testNow().getTime() - 3 * 24 * 3600 * 1000) },
    });
    expect(await count({ stuckDays: '2' })).toBe(1);
    expect(await count({ stuckDays: '4' })).toBe(0);

    for (const [query, message] of [
      [{ flow: 'nope' }, '流程类型不正确'],
      [{ waitingFor: 'ANYONE' }, '等待方不正确'],
      [{ stuckDays: '0' }, '停滞天数须为1到365'],
      [{ failing: 'yes' }, '取值须为 true 或 false'],
    ] as const) {
      const res = await ops.get('/api/operator/workflows').query(query);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ id: 'request.invalid' });
      expect(JSON.stringify(res.body.error)).toContain(message);
    }
  });

  it('shows a detail with the live status and timeline, and runs cancel / extend / resend / retry with a reason, audited', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    const phone = uniquePhone();
    await agent
      .post('/api/members/proxy')
      .send({ type: 'INDIVIDUAL', bizUserId: 'act-1', realName: { name: '孙三', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone } })
      .expect(201);
    const ops = await operator();
    const [item] = (
      await eventually(
        () => ops.get('/api/operator/workflows').query({ application: t.application.appNo }),
        (r) => r.body.items?.length === 1,
        'the onboarding in the console',
      )
    ).body.items;
    const path = `/api/operator/workflows/${encodeURIComponent(item.workflowId)}`;

    const detail = await ops.get(path).expect(200);
    expect(detail.body).toMatchObject({ runStatus: 'RUNNING', flow: 'member-onboarding', live: { stage: 'CONFIRMATION', waitingFor: 'member' } });
    expect(detail.body.timeline.at(-1)).toMatchObject({ kind: 'current', text: '当前环节：待会员确认' });
    expect(detail.body.temporalUrl).toContain(encodeURIComponent(item.workflowId));

    // Every action needs a reason.
    const noReason = await ops.post(`${path}/cancel`).send({});
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.error)).toContain('请填写操作原因');

    // 重发短信: the confirmation SMS goes out again (a new message, not the first one re-counted).
    await outboxWait(h.config, (m) => m.to === `+86${phone}` && /代办/.test(m.body));
    const resent = await ops.post(`${path}/resend`).send({ reason: '会员未收到短信' }).expect(200);
    expect(resent.body).toMatchObject({ action: 'resend', stage: 'CONFIRMATION', sentTo: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    // Matched by this session's keys: a masked phone is shared by other tests' members.
    const onboarding = await h.services.prisma.onboardingSession.findUniqueOrThrow({ where: { workflowId: item.workflowId } });
    const sms = await h.services.prisma.smsMessage.findMany({
      where: { template: 'PROXY_CONFIRMATION', idempotencyKey: { startsWith: `proxy-confirmation:${onboarding.id}:` } },
    });
    expect(sms.map((m) => m.idempotencyKey.replace(/^.*:v/, 'v')).sort()).toEqual(['v1', 'v1:r1']);

    // 延期: within the 30-day limit; further is refused by the workflow's validator.
    const extended = await ops.post(`${path}/extension`).send({ reason: '会员出差', days: 7 }).expect(200);
    const session = await h.services.prisma.onboardingSession.findUniqueOrThrow({ where: { workflowId: item.workflowId } });
    expect(session.expiresAt.toISOString()).toBe(extended.body.deadline);
    const tooFar = await ops.post(`${path}/extension`).send({ reason: '再延期', days: 20 });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.error.id).toBe('flow.extension_too_long');
    const badDays = await ops.post(`${path}/extension`).send({ reason: '再延期', days: 31 });
    expect(badDays.status).toBe(400);

    // 重试 without a failed step is refused.
    const retry = await ops.post(`${path}/retry`).send({ reason: '重试一下' });
    expect(retry.status).toBe(409);
    expect(retry.body.error.id).toBe('flow.no_failed_step');

    await ops.post(`${path}/cancel`).send({ reason: '平台申请撤销' }).expect(200);
    const handle = h.temporal.workflow.getHandle(item.workflowId);
    expect(await handle.result()).toBe('CANCELLED');
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(ONBOARDING_STAGE)).toBe('CANCELLED');
    expect(attributes.get(BUSINESS_KEY)).toBe(`${t.application.appNo}/act-1`);
    const closed = await eventually(
      () => ops.get(path),
      (r) => r.body.closed === true,
      'the console to show the cancellation',
    );
    expect(closed.body).toMatchObject({ stage: 'CANCELLED', waitingFor: 'NOBODY', actions: [] });
    expect(closed.body.timeline.map((e: { text: string }) => e.text)).toEqual(
      expect.arrayContaining(['重发短信：会员未收到短信', '延期：会员出差', '取消流程：平台申请撤销']),
    );
    const again = await ops.post(`${path}/cancel`).send({ reason: '再取消一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.id).toBe('flow.finished');

    const audits = await h.services.prisma.auditLog.findMany({ where: { target: `workflow:${item.workflowId}` }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['workflow.resend', 'workflow.extend', 'workflow.cancel']);
    expect(audits.every((a) => a.actorRole === 'OPERATOR')).toBe(true);
  });

  it('refuses actions a flow does not support, unknown flows, and callers who are not operators', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    await agent.post('/api/imports/window/requests').send({ reason: '存量会员导入' }).expect(201);
    const ops = await operator();
    const [item] = (
      await eventually(
        () => ops.get('/api/operator/workflows').query({ application: t.application.appNo }),
        (r) => r.body.items?.length === 1,
        'the window request in the console',
      )
    ).body.items;
    const resend = await ops.post(`/api/operator/workflows/${encodeURIComponent(item.workflowId)}/resend`).send({ reason: '重发' });
    expect(resend.status).toBe(409);
    expect(resend.body.error.id).toBe('flow.action_unsupported');
    // Cancelling a window request before the decision withdraws it from the reviewer queue.
    await ops
      .post(`/api/operator/workflows/${encodeURIComponent(item.workflowId)}/cancel`)
      .send({ reason: '申请人撤回' })
      .expect(200);
    await eventually(
      () => h.services.prisma.reviewItem.findFirstOrThrow({ where: { workflowId: item.workflowId } }),
      (r) => r.status === 'WITHDRAWN',
      'the review item to be withdrawn',
    );
    expect((await ops.get('/api/operator/workflows/no-such-flow')).status).toBe(404);
    expect((await agent.get('/api/operator/workflows')).status).toBe(403);
  });
});
