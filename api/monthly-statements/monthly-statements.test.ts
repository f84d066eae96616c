import ExcelJS from 'exceljs';
import { publishStatement } from '../../lib/formats/statements';
import { binaryBody, createTenant, eventually, signIn, fileHarness } from '../../test/support/harness';

describe('对账单: golden daily statement, versions, monthly enablement', () => {
  const h = fileHarness();

  async function tenantWithOrders() {
    const tenant = await createTenant(h.services);
    const appId = tenant.application.id;
    const member = await h.services.prisma.member.create({
      data: { applicationId: appId, bizUserId: 'G-M1', type: 'INDIVIDUAL', status: 'NORMAL', displayName: '张三' },
    });
    const base = { applicationId: appId, receiverMemberId: member.id, status: 'SUCCESS' };
    const suffix = tenant.application.appNo;
    await h.services.prisma.order.createMany({
      data: [
        {
          ...base,
          orderNo: `YST1-${suffix}`,
          bizOrderNo: 'BIZ-1',
          type: 'CONSUMPTION',
          amountFen: 12345,
          feeFen: 74,
          paymentMethod: 'QUICK_PAY',
          channelType: 'ONLINE',
          cardType: 'DEBIT',
          createdAt: new Date('2026-11-01T01:00:00Z'),
        },
        {
          ...base,
          orderNo: `YST2-${suffix}`,
          bizOrderNo: '=HYPERLINK("x")',
          type: 'GUARANTEED_PAYMENT',
          amountFen: 500,
          paymentMethod: 'WECHAT',
          channelType: 'SCAN',
          createdAt: new Date('2026-11-01T02:30:00Z'),
        },
        {
          ...base,
          orderNo: `YST3-${suffix}`,
          bizOrderNo: 'BIZ-3',
          type: 'WITHDRAWAL',
          amountFen: 10000,
          status: 'FAILED',
          createdAt: new Date('2026-11-01T15:59:59Z'),
        },
        // the next Shanghai day: not in the 2026-11-01 statement
        { ...base, orderNo: `YST4-${suffix}`, bizOrderNo: 'BIZ-4', type: 'TOP_UP', amountFen: 1, createdAt: new Date('2026-11-01T16:00:00Z') },
      ],
    });
    return { tenant, agent: await signIn(h.app, tenant.username, tenant.password) };
  }

  it('writes the daily statement in txt (codes) and Excel (Chinese words), exactly', async () => {
    const { tenant, agent } = await tenantWithOrders();
    const n = tenant.application.appNo;
    const txt = await agent.get('/api/statements/daily/2026-11-01');
    expect(txt.status).toBe(200);
    expect(txt.text).toBe(
      [
        `#APP_NO|${n}`,
        '#PERIOD|2026-11-01',
        '#VERSION|1',
        '#COUNT|3|TOTAL|228.45',
        '#TRADE_TIME|ORDER_NO|BIZ_ORDER_NO|ORDER_TYPE|PAYMENT_METHOD|CHANNEL_TYPE|CARD_TYPE|AMOUNT|FEE|STATUS|BIZ_USER_ID',
        `2026-11-01 09:00:00|YST1-${n}|BIZ-1|CONSUMPTION|QUICK_PAY|ONLINE|DEBIT|123.45|0.74|SUCCESS|G-M1`,
        `2026-11-01 10:30:00|YST2-${n}|'=HYPERLINK("x")|GUARANTEED_PAYMENT|WECHAT|SCAN||5.00|0.00|SUCCESS|G-M1`,
        `2026-11-01 23:59:59|YST3-${n}|BIZ-3|WITHDRAWAL||||100.00|0.00|FAILED|G-M1`,
        '',
      ].join('\n'),
    );
    const xlsx = await agent.get('/api/statements/daily/2026-11-01?format=xlsx').buffer(true).parse(binaryBody);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map(String)));
    expect(rows).toEqual([
      ['日对账单'],
      ['应用', `${tenant.application.name}（${n}）`, '对账日期', '2026-11-01', '版本', '1'],
      ['总笔数', '3', '总金额(元)', '228.45'],
      [
        '交易时间',
        '云商通订单号',
        '商户订单号',
        '订单类型',
        '订单子类型',
        '支付方式',
        '渠道交易类型',
        '卡类别',
        '交易金额(元)',
        '手续费(元)',
        '订单状态',
        '会员编号',
      ],
      ['2026-11-01 09:00:00', `YST1-${n}`, 'BIZ-1', '消费', '消费', '快捷支付', '线上交易', '借记卡', '123.45', '0.74', '交易成功', 'G-M1'],
      ['2026-11-01 10:30:00', `YST2-${n}`, `'=HYPERLINK("x")`, '担保消费', '担保支付', '微信支付', '扫码交易', '-', '5.00', '0.00', '交易成功', 'G-M1'],
      ['2026-11-01 23:59:59', `YST3-${n}`, 'BIZ-3', '提现', '提现', '-', '-', '-', '100.00', '0.00', '交易失败', 'G-M1'],
    ]);
    const future = await agent.get('/api/statements/daily/2099-01-01');
    expect([future.status, future.body.error.id]).toEqual([400, 'statement.future_day']);
  });

  it('regenerating an unchanged statement keeps its version; a changed one becomes a new, audited version', async () => {
    const { tenant } = await tenantWithOrders();
    const appId = tenant.application.id;
    const p = { kind: 'DAY' as const, key: '2026-11-01' };
    expect((await publishStatement(h.services.prisma, appId, p)).version).toBe(1);
    expect((await publishStatement(h.services.prisma, appId, p)).changed).toBe(false);
    const member = await h.services.prisma.member.findFirstOrThrow({ where: { applicationId: appId } });
    await h.services.prisma.order.create({
      data: {
        applicationId: appId,
        receiverMemberId: member.id,
        status: 'SUCCESS',
        orderNo: `LATE-${tenant.application.appNo}`,
        bizOrderNo: 'LATE',
        type: 'TOP_UP',
        amountFen: 7,
        createdAt: new Date('2026-11-01T05:00:00Z'),
      },
    });
    expect(await publishStatement(h.services.prisma, appId, p)).toMatchObject({ version: 2, rowCount: 4, changed: true });
    expect(await h.services.prisma.auditLog.count({ where: { action: 'statement.regenerated', target: `statement:${appId}:DAY:2026-11-01` } })).toBe(1);
  });

  it('monthly statements: not before enablement; apply → branch review → HQ configuration; earlier months refused', async () => {
    const { agent, tenant } = await tenantWithOrders();
    const { appNo } = tenant.application;
    expect((await agent.get('/api/statements/monthly/2026-10')).body.error.id).toBe('statement.not_enabled');
    expect((await agent.post('/api/statements/enablement').send({})).body.error.id).toBe('request.invalid');
    const applied = await agent.post('/api/statements/enablement').send({ reason: '需要月度对账' });
    expect(applied.body.enablement).toMatchObject({ status: 'IN_REVIEW' });
    expect((await agent.post('/api/statements/enablement').send({ reason: '再次申请' })).body.error.id).toBe('statement.enablement_pending');

    const r = await createTenant(h.services, 'REVIEWER');
    const reviewer = await signIn(h.app, r.username, r.password);
    const o = await createTenant(h.services, 'OPERATOR');
    const operator = await signIn(h.app, o.username, o.password);
    // This application's request (other tests leave requests of their own tenants in the queue).
    const item = (await reviewer.get('/api/reviews?kind=STATEMENT_ENABLEMENT&pageSize=100')).body.items.find(
      (i: { title: string; application: { appNo: string } | null }) => i.title.includes('月对账单') && i.application?.appNo === appNo,
    );
    await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true });
    const id = applied.body.enablement.id;
    await eventually(
      () => agent.get('/api/statements/monthly'),
      (r) => r.body.enablement.status === 'AWAITING_CONFIGURATION',
      'the review decision',
    );
    expect((await operator.post(`/api/operator/statement-enablements/${id}/configuration`)).body).toEqual({ stage: 'ENABLED' });
    const overview = (await agent.get('/api/statements/monthly')).body;
    expect(overview.enablement.status).toBe('ENABLED');
    const appliedMonth = overview.enablement.appliedMonth as string;
    const before = await agent.get('/api/statements/monthly/2020-01');
    expect([before.status, before.body.error.id]).toEqual([409, 'statement.before_enablement']);
    expect((await agent.get(`/api/statements/monthly/${appliedMonth}`)).body.error.id).toBe('statement.not_ready');
    expect((await agent.get('/api/statements/monthly/2026-13')).body.error.id).toBe('request.invalid');
  });
});
