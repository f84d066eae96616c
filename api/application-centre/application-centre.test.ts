import { createTenant, signIn, fileHarness } from '../../test/support/harness';

describe('应用中心 → 微信支付参数设置', () => {
  const h = fileHarness();

  it('stores a valid app id and directories for an application with a cashier merchant, audited; refuses bad ones in Chinese', async () => {
    const t = await createTenant(h.services);
    await h.services.prisma.application.update({ where: { id: t.application.id }, data: { cashierMerchantNo: '56058104816B001' } });
    const agent = await signIn(h.app, t.username, t.password);
    expect((await agent.get('/api/application-centre/wechat-pay').expect(200)).body).toEqual({
      opened: true,
      cashierMerchantNo: '56058104816B001',
      appId: null,
      directories: [],
      updatedAt: null,
    });
    const good = { appId: 'wx1234567890abcdef', directories: ['https://pay.example.com/pay/', 'https://shop.example.com/'] };
    const saved = await agent.put('/api/application-centre/wechat-pay').send(good).expect(200);
    expect(saved.body).toMatchObject(good);
    for (const [body, message] of [
      [{ ...good, appId: 'wx123' }, 'appid 格式不正确'],
      [{ ...good, appId: 'WX1234567890ABCDEF' }, 'appid 格式不正确'],
      [{ ...good, directories: [] }, '请至少填写一个支付授权目录'],
      [{ ...good, directories: ['https://pay.example.com/pay'] }, '以 / 结尾'],
      [{ ...good, directories: ['ftp://pay.example.com/'] }, '以 / 结尾'],
      [{ ...good, directories: ['https://a.example.com/?x=1/'] }, '以 / 结尾'],
      [{ ...good, directories: Array.from({ length: 6 }, (_, i) => `https://s${i}.example.com/`) }, '最多5个'],
      [{ ...good, directories: ['https://a.example.com/', 'https://a.example.com/'] }, '不能重复'],
    ] as const) {
      const res = await agent.put('/api/application-centre/wechat-pay').send(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain(message);
    }
    expect((await agent.get('/api/application-centre/wechat-pay')).body).toMatchObject(good);
    const audit = await h.services.prisma.auditLog.findFirst({ where: { action: 'wechat-pay.update', target: `application:${t.application.id}` } });
    expect(audit?.detail).toEqual(good);
  });

  it('an application without the cashier WeChat Pay product cannot set them; other tenants see only their own', async () => {
    const t = await createTenant(h.services);
    const agent = await signIn(h.app, t.username, t.password);
    expect((await agent.get('/api/application-centre/wechat-pay')).body).toMatchObject({ opened: false, cashierMerchantNo: null });
    const res = await agent.put('/api/application-centre/wechat-pay').send({ appId: 'wx1234567890abcdef', directories: ['https://pay.example.com/'] });
    expect(res.status).toBe(409);
    expect(res.body.error.id).toBe('wechat.not_opened');
    const op = await createTenant(h.services, 'OPERATOR');
    expect((await (await signIn(h.app, op.username, op.password)).get('/api/application-centre/wechat-pay')).status).toBe(403);
  });
});
