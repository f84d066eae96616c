import { randomInt, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { daysBetween } from '../../domain/data-overview';
import { weiqifuDays } from '../../domain/payment-solutions';
import { DEMO_PAYMENT_MERCHANTS } from '../../lib/dev-stack/seed';
import { binaryBody, fileHarness, signIn, signedInTenant, startHarness, testNow } from '../../test/support/harness';

/** A store assistant merchant number of the right form (B2B and 12 digits) that the channel never issued. */
const merchantNo = () => `B2B${String(randomInt(1e6)).padStart(6, '0')}${String(randomInt(1e6)).padStart(6, '0')}`;
const APP_KEY = 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6';

describe('支付解决方案 → 小程序B2B门店助手参数 (real sandbox channel)', () => {
  const h = fileHarness();

  async function storeAssistantTenant() {
    const t = await signedInTenant(h);
    // The merchant the channel opens at 自动开通配置 (the F7 test covers that step).
    const no = (await h.services.b2bStoreAssistant.open(randomUUID())).merchantNo;
    await h.services.prisma.application.update({ where: { id: t.tenant.application.id }, data: { b2bMerchantNo: no } });
    return { ...t, no };
  }

  it('shows the payment merchant as the channel knows it and configures its appkey there, keeping only a masked form', async () => {
    const { tenant, agent, no } = await storeAssistantTenant();
    const before = (await agent.get('/api/payment-solutions/b2b-store').expect(200)).body;
    expect(before).toEqual({
      opened: true,
      merchants: [{ merchantNo: no, channelStatus: 'NORMAL', appKeyConfigured: false, appKeyConfiguredAt: null, appKey: null, updatedAt: null }],
    });

    const bad = await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: no, appKey: 'short' }).expect(400);
    expect(bad.body.error.fields[0]).toMatchObject({ path: 'appKey', message: 'appkey 须为32位字母或数字（在微信小程序后台“门店助手”中获取）' });
    const other = await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: merchantNo(), appKey: APP_KEY }).expect(404);
    expect(other.body.error.message).toBe('支付商户不存在');

    const saved = (await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: no, appKey: APP_KEY }).expect(200)).body;
    expect(saved.merchants[0]).toMatchObject({ merchantNo: no, appKeyConfigured: true, appKey: 'A1b2************************Q5r6' });
    expect(saved.merchants[0].appKeyConfiguredAt).not.toBeNull();
    // Read back from the channel, not from our own row.
    expect((await agent.get('/api/payment-solutions/b2b-store').expect(200)).body.merchants[0].appKeyConfigured).toBe(true);
    const row = await h.services.prisma.application.findUniqueOrThrow({ where: { id: tenant.application.id } });
    expect(JSON.stringify(row)).not.toContain(APP_KEY);
    const audit = await h.services.prisma.auditLog.findFirstOrThrow({ where: { action: 'b2b-store.app-key', target: `application:${tenant.application.id}` } });
    expect(audit.detail).toEqual({ merchantNo: no, appKey: 'A1b2************************Q5r6' });
    expect(JSON.stringify(audit.detail)).not.toContain(APP_KEY);
  });

  it('knows only the merchants the channel opened: the same request the same merchant, a made-up number none', async () => {
    const request = randomUUID();
    const opened = await h.services.b2bStoreAssistant.open(request);
    expect(opened).toMatchObject({ merchantNo: expect.stringMatching(/^B2B\d{12}$/), status: 'NORMAL', appKeyConfigured: false });
    expect((await h.services.b2bStoreAssistant.open(request)).merchantNo).toBe(opened.merchantNo);
    expect((await h.services.b2bStoreAssistant.open(randomUUID())).merchantNo).not.toBe(opened.merchantNo);
    // An application holding a number the channel never issued sees it unknown there, and cannot configure it.
    const { tenant, agent } = await signedInTenant(h);
    const madeUp = merchantNo();
    await h.services.prisma.application.update({ where: { id: tenant.application.id }, data: { b2bMerchantNo: madeUp } });
    expect((await agent.get('/api/payment-solutions/b2b-store').expect(200)).body.merchants[0]).toMatchObject({ merchantNo: madeUp, channelStatus: null });
    const refused = await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: madeUp, appKey: APP_KEY });
    expect(refused.body.error).toMatchObject({ id: 'payment_solutions.channel_refused', message: '支付渠道拒绝了该配置：支付商户不存在' });
    expect(await h.services.weiqifu.balance(`WQF${madeUp.slice(3)}`)).toBeNull();
    // The demo application's merchants are those the channel opens for its requests.
    expect((await h.services.b2bStoreAssistant.open('demo:1001001:B2B')).merchantNo).toBe(DEMO_PAYMENT_MERCHANTS.b2bStoreAssistant);
    expect(await h.services.weiqifu.open('demo:1001001:WQF')).toBe(DEMO_PAYMENT_MERCHANTS.weiqifu);
  });

  it('tells an application without the store assistant there is nothing to configure, and other roles nothing at all', async () => {
    const { agent } = await signedInTenant(h);
    expect((await agent.get('/api/payment-solutions/b2b-store').expect(200)).body).toEqual({ opened: false, merchants: [] });
    const refused = await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: merchantNo(), appKey: APP_KEY }).expect(409);
    expect(refused.body.error).toMatchObject({ id: 'payment_solutions.b2b_not_opened', message: '该应用未开通小程序B2B门店助手，无需配置 appkey' });
    const { agent: operator } = await signedInTenant(h, 'OPERATOR');
    expect((await operator.get('/api/payment-solutions/b2b-store')).status).toBe(403);
  });

  it('keeps nothing when the channel cannot be reached', async () => {
    const { tenant, no } = await storeAssistantTenant();
    // The same application, through an API whose channel is down.
    const down = await startHarness({ config: { PAYMENT_CHANNEL_URL: 'http://127.0.0.1:9' } });
    try {
      const agent = await signIn(down.app, tenant.username, tenant.password);
      const answer = await agent.put('/api/payment-solutions/b2b-store/app-key').send({ merchantNo: no, appKey: APP_KEY }).expect(503);
      expect(answer.body.error.id).toBe('payment_solutions.channel_unavailable');
      expect((await agent.get('/api/payment-solutions/b2b-store')).body.error.id).toBe('payment_solutions.channel_unavailable');
    } finally {
      await down.stop();
    }
    const row = await h.services.prisma.application.findUniqueOrThrow({ where: { id: tenant.application.id } });
    expect(row).toMatchObject({ b2bAppKeyMasked: null, b2bAppKeyUpdatedAt: null });
    expect(await h.services.prisma.auditLog.count({ where: { action: 'b2b-store.app-key', target: `application:${tenant.application.id}` } })).toBe(0);
  });
});

describe('支付解决方案 → 微企付 (real sandbox channel)', () => {
  const h = fileHarness();

  async function weiqifuTenant() {
    const t = await signedInTenant(h);
    const no = await h.services.weiqifu.open(randomUUID());
    await h.services.prisma.application.update({ where: { id: t.tenant.application.id }, data: { weiqifuMerchantNo: no } });
    return { ...t, no };
  }

  const csv = async (agent: request.Agent, url: string) => {
    const res = await agent.get(url).buffer(true).parse(binaryBody);
    return { res, text: Buffer.from(res.body as ArrayBuffer).toString('utf8') };
  };

  it('shows the merchant and its balance now, with the pages’ default days on the app clock', async () => {
    const { agent, no } = await weiqifuTenant();
    const days = weiqifuDays(testNow());
    const answer = (await agent.get('/api/payment-solutions/weiqifu').expect(200)).body;
    expect(answer).toMatchObject({ opened: true, merchantNo: no, defaults: { fileDay: days.yesterday, from: days.monthAgo, to: days.yesterday } });
    expect(answer.balance.available).toMatch(/^-?\d+\.\d{2}$/);
    expect(answer.balance.frozen).toMatch(/^\d+\.\d{2}$/);
  });

  it('downloads the trade and fund files of D-1 by default, refuses a day not closed yet, and the fund file agrees with the end-of-day balances', async () => {
    const { tenant, agent, no } = await weiqifuTenant();
    const { today, yesterday } = weiqifuDays(testNow());
    const trade = await csv(agent, '/api/payment-solutions/weiqifu/files?type=TRADE');
    expect(trade.res.status).toBe(200);
    expect(decodeURIComponent(String(trade.res.headers['content-disposition']))).toContain(`微企付交易对账单-${no}-${yesterday}.csv`);
    expect(trade.text.replace('\uFEFF', '').split('\r\n')[0]).toBe('交易时间,交易单号,交易类型,交易金额（元）,手续费（元）,交易状态');
    expect(trade.text).toContain(yesterday);

    const fund = await csv(agent, `/api/payment-solutions/weiqifu/files?type=FUND&day=${yesterday}`);
    const [, line] = fund.text.replace('\uFEFF', '').trim().split('\r\n');
    const cells = line!.split(',');
    expect(cells[0]).toBe(yesterday);
    const balances = (await agent.get('/api/payment-solutions/weiqifu/daily-balances').expect(200)).body;
    const dayBefore = balances.items.at(-2);
    expect(balances.items.at(-1)).toEqual({ day: yesterday, merchantNo: no, balance: cells[6] });
    expect(dayBefore.balance).toBe(cells[1]);

    const early = await agent.get(`/api/payment-solutions/weiqifu/files?type=TRADE&day=${today}`).expect(409);
    expect(early.body.error).toMatchObject({ id: 'payment_solutions.file_not_ready' });
    const bad = await agent.get('/api/payment-solutions/weiqifu/files?type=DAILY').expect(400);
    expect(bad.body.error.fields[0].message).toBe('文件类型须为交易对账单（TRADE）或资金对账单（FUND）');
    const audits = await h.services.prisma.auditLog.findMany({ where: { action: 'weiqifu.file', actorId: tenant.user.id }, orderBy: { at: 'asc' } });
    expect(audits.map((a) => a.detail)).toEqual([
      { merchantNo: no, type: 'TRADE', day: yesterday },
      { merchantNo: no, type: 'FUND', day: yesterday },
    ]);
  });

  it('queries the end-of-day balances of the last month by default, any range up to a year, and exports them', async () => {
    const { tenant, agent, no } = await weiqifuTenant();
    const { yesterday, monthAgo } = weiqifuDays(testNow());
    const answer = (await agent.get('/api/payment-solutions/weiqifu/daily-balances').expect(200)).body;
    expect(answer).toMatchObject({ from: monthAgo, to: yesterday, merchantNo: no });
    expect(answer.items.map((i: { day: string }) => i.day)).toEqual(daysBetween(monthAgo, yesterday));
    const week = (await agent.get('/api/payment-solutions/weiqifu/daily-balances').query({ from: '2026-01-01', to: '2026-01-07' }).expect(200)).body;
    expect(week.items).toHaveLength(7);
    expect((await agent.get('/api/payment-solutions/weiqifu/daily-balances').query({ from: '2025-01-01', to: '2026-01-07' }).expect(400)).body.error.id).toBe(
      'payment_solutions.range_too_long',
    );
    expect((await agent.get('/api/payment-solutions/weiqifu/daily-balances').query({ from: '2026-01-08', to: '2026-01-07' }).expect(400)).body.error.id).toBe(
      'query.range_invalid',
    );

    const res = await agent
      .get('/api/payment-solutions/weiqifu/daily-balances/export')
      .query({ from: '2026-01-01', to: '2026-01-07' })
      .buffer(true)
      .parse(binaryBody);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[3]).toEqual(['日期', '微企付商户号', '日终余额（元）']);
    expect(rows.slice(4)).toEqual(week.items.map((i: { day: string; balance: string }) => [i.day, no, i.balance]));
    const audit = await h.services.prisma.auditLog.findFirstOrThrow({ where: { action: 'export.weiqifu-daily-balances', actorId: tenant.user.id } });
    expect(audit.detail).toMatchObject({ rows: 7, filters: { from: '2026-01-01', to: '2026-01-07' } });
  });

  it('tells an application without 微企付 it has not opened it', async () => {
    const { agent } = await signedInTenant(h);
    expect((await agent.get('/api/payment-solutions/weiqifu').expect(200)).body).toMatchObject({ opened: false, merchantNo: null, balance: null });
    const refused = await agent.get('/api/payment-solutions/weiqifu/files?type=TRADE').expect(409);
    expect(refused.body.error).toMatchObject({ id: 'payment_solutions.weiqifu_not_opened', message: '该应用未开通微企付' });
    expect((await agent.get('/api/payment-solutions/weiqifu/daily-balances').expect(409)).body.error.id).toBe('payment_solutions.weiqifu_not_opened');
  });
});
