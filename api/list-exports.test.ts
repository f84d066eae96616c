/**
 * 导出 where users expect one: the member list, orders, agreements, signing links and the review
 * history come as XLSX of what the list's filters select — masked like the list, formula cells
 * neutralised, at most 10,000 rows, each export audited with its filters.
 */
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { seedLedger } from '../lib/dev-stack/ledger-seed';
import { binaryBody, createOnboardedMember, createTenant, fileHarness, signIn, signedInTenant } from '../test/support/harness';

describe('list exports', () => {
  const h = fileHarness();

  async function sheet(agent: request.Agent, url: string) {
    const res = await agent.get(url).buffer(true).parse(binaryBody);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    return rows;
  }

  it('exports the member list as filtered, masked and formula-safe, audited; refuses more than 10,000 rows', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const phone = '13912340000';
    const plain = await createOnboardedMember(h.services, tenant.application.id, { phone, name: '导出会员' });
    // A member number a spreadsheet would run as a formula.
    await h.services.prisma.member.update({ where: { id: plain.id }, data: { bizUserId: '=HYPERLINK("x")' } });
    await createOnboardedMember(h.services, tenant.application.id, { status: 'PENDING' });

    const rows = await sheet(agent, '/api/members/export?type=INDIVIDUAL&status=NORMAL');
    expect(rows[0]).toEqual(['个人会员列表导出']);
    expect(rows[1]![1]).toContain('"status":"NORMAL"');
    expect(rows[3]).toEqual(['会员编号', '会员类型', '名称', '会员状态', '开户环节', '绑定手机', '链接有效期至', '创建时间']);
    expect(rows.slice(4)).toHaveLength(1);
    expect(rows[4]!.slice(0, 4)).toEqual([`'=HYPERLINK("x")`, '个人会员', plain.displayName, '正常']);
    expect(rows[4]![5]).toBe('139****0000');
    expect(JSON.stringify(rows)).not.toContain(phone);
    const audit = await h.services.prisma.auditLog.findFirstOrThrow({ where: { action: 'export.members', actorId: tenant.user.id } });
    expect(audit.detail).toMatchObject({ rows: 1, filters: { type: 'INDIVIDUAL', status: 'NORMAL' } });

    // Another application's members are not in its own export.
    const other = await signedInTenant(h);
    expect((await sheet(other.agent, '/api/members/export')).slice(4)).toEqual([]);

    // Past the limit: refused with the count, nothing written, nothing audited.
    await h.services.prisma.member.createMany({
      data: Array.from({ length: 10_001 }, (_, i) => ({
        applicationId: other.tenant.application.id,
        bizUserId: `bulk-${i}`,
        type: 'ENTERPRISE' as const,
        status: 'NORMAL' as const,
        displayName: `批量企业${i}`,
      })),
    });
    const tooMany = await other.agent.get('/api/members/export?type=ENTERPRISE');
    expect([tooMany.status, tooMany.body.error.id, tooMany.body.error.details]).toEqual([422, 'export.too_many', { count: 10_001, max: 10_000 }]);
    expect(await h.services.prisma.auditLog.count({ where: { action: 'export.members', actorId: other.tenant.user.id } })).toBe(1);
  });

  it('exports orders, agreements, signing links and the review history with their lists’ columns', async () => {
    const { tenant, agent } = await signedInTenant(h);
    for (let i = 0; i < 2; i++) await createOnboardedMember(h.services, tenant.application.id);
    await seedLedger(h.services, { appNo: tenant.application.appNo, days: 2, ordersPerDay: 5 });
    const listed = await agent.get('/api/orders').query({ pageSize: 100 });
    const orders = await sheet(agent, '/api/orders/export');
    expect(orders[3]![0]).toBe('创建时间');
    expect(orders.slice(4)).toHaveLength(listed.body.total);
    expect(
      orders
        .slice(4)
        .map((r) => r[1])
        .sort(),
    ).toEqual(listed.body.items.map((o: { orderNo: string }) => o.orderNo).sort());

    const member = await createOnboardedMember(h.services, tenant.application.id, { name: '协议会员' });
    await h.services.prisma.agreement.create({
      data: {
        memberId: member.id,
        applicationId: tenant.application.id,
        kind: 'MEMBER_SERVICE',
        title: '云商通会员服务协议',
        version: '2026-01',
        documentHash: '0',
        signMethod: 'PAPER',
        online: false,
        signedPhoneMasked: '139****0001',
        signedAt: h.services.clock.now(),
      },
    });
    const agreements = await sheet(agent, '/api/agreements/export?category=MEMBER');
    expect(agreements.slice(4).map((r) => [r[2], r[4], r[5]])).toEqual([['云商通会员服务协议', '线下（纸质）', '139****0001']]);

    const links = await sheet(agent, '/api/acquiring/signing-links/export');
    expect(links[3]).toEqual(['会员编号', '会员名称', '手机号', '状态', '发送时间', '打开时间', '签约时间', '有效期至', '失效原因']);

    const reviewer = await createTenant(h.services, 'REVIEWER');
    const reviews = await sheet(await signIn(h.app, reviewer.username, reviewer.password), '/api/reviews/export?state=DECIDED');
    expect(reviews[0]).toEqual(['审核记录导出']);
    expect(reviews[3]).toEqual(['提交时间', '审核类型', '事项', '应用', '提交人', '审核结果', '审核人', '审核时间', '审核意见']);
    const actions = await h.services.prisma.auditLog.findMany({
      where: { action: { startsWith: 'export.' }, actorId: { in: [tenant.user.id, reviewer.user.id] } },
    });
    expect(actions.map((a) => a.action).sort()).toEqual(['export.agreements', 'export.orders', 'export.reviews', 'export.signing-links']);
  });
});
