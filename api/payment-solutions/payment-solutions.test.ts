import { randomInt } from 'node:crypto';
import { fileHarness, signIn, signedInTenant, startHarness } from '../../test/support/harness';

/** A store assistant merchant number as 自动开通配置 gives one (B2B and 12 digits). */
const merchantNo = () => `B2B${String(randomInt(1e6)).padStart(6, '0')}${String(randomInt(1e6)).padStart(6, '0')}`;
const APP_KEY = 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6';

describe('支付解决方案 → 小程序B2B门店助手参数 (real sandbox channel)', () => {
  const h = fileHarness();

  async function storeAssistantTenant() {
    const t = await signedInTenant(h);
    const no = merchantNo();
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
