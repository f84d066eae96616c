/**
 * Members and onboarding by signed request: the portal's services behind the open API, each
 * creating request once per requestId, the member's stage, accounts and balances in its query.
 */
import request from 'supertest';
import { verifyResponse } from '../../scripts/examples/openapi-client';
import { applicationWithKey, signedRequest } from '../../test/support/open-api';
import { createMemberWithAccounts, fileHarness } from '../../test/support/harness';

describe('members and their onboarding through the signed open API', () => {
  const h = fileHarness();

  const signed = (appNo: string, privateKey: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    signedRequest(h, { appNo, privateKey, method, path, body });

  it('adds a member once per requestId with its onboarding link and QR code, and shows its stage', async () => {
    const { t, keys, platformPublicKey } = await applicationWithKey(h);
    const appNo = t.application.appNo;
    const body = { requestId: 'req-member-0001', type: 'INDIVIDUAL', bizUserId: 'OPEN-M-1', name: '张三' };
    const added = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members', body).expect(201);
    expect(verifyResponse(platformPublicKey, added.headers, Buffer.from(added.text))).toBe(true);
    expect(added.body.member).toMatchObject({
      bizUserId: 'OPEN-M-1',
      type: 'INDIVIDUAL',
      onboarding: { attempt: 1, mode: 'SELF_SERVICE', stage: 'INFORMATION' },
    });
    expect(added.body.link.url).toMatch(/\/onboard\/[A-Za-z0-9_-]{32}$/);
    expect(added.body.link.qrCode).toMatch(/^data:image\/(png|svg\+xml);base64,/);
    // The link works: the member's page opens.
    const token = /\/onboard\/([A-Za-z0-9_-]{32})$/.exec(added.body.link.url)![1]!;
    expect((await request(h.app.app).get(`/api/onboarding/${token}`)).status).toBe(200);

    // Sent again (a lost answer): the same answer, one member, one onboarding, one audit entry.
    const again = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members', body).expect(201);
    expect(again.body).toEqual(added.body);
    const rows = await h.services.prisma.member.findMany({ where: { applicationId: t.application.id }, include: { onboardings: true } });
    expect(rows.map((m) => [m.bizUserId, m.onboardings.length])).toEqual([['OPEN-M-1', 1]]);
    const audited = await h.services.prisma.auditLog.findMany({ where: { target: `member:${rows[0]!.id}` } });
    // As the application's account, marked as a signed request (no provider signed it).
    expect(audited.map((a) => [a.actorRole, (a.detail as { via?: string }).via, 'serviceProviderId' in (a.detail as object)])).toEqual([
      ['APPLICATION', 'OPEN_API', false],
    ]);
    // The id again with another request: refused, nothing made.
    const conflict = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members', { ...body, bizUserId: 'OPEN-M-2' });
    expect([conflict.status, conflict.body.error.id]).toEqual([409, 'openapi.request_id_conflict']);
    // Another request for the same member number: the portal's refusal.
    const duplicate = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members', { ...body, requestId: 'req-member-0002' });
    expect(duplicate.status).toBe(409);
    expect(await h.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(1);
    // No requestId: refused before anything happens.
    const { requestId: _omitted, ...withoutId } = { ...body, bizUserId: 'OPEN-M-3' };
    const unnamed = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members', withoutId);
    expect([unnamed.status, unnamed.body.error.id]).toEqual([400, 'request.invalid']);

    // 重新生成链接: a new link, the old one no longer opens; 重新发起开户 while it runs: refused (and the same refusal again).
    const rotated = await signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members/OPEN-M-1/onboarding/link', { requestId: 'req-rotate-0001' }).expect(200);
    expect(rotated.body.link.url).not.toBe(added.body.link.url);
    expect((await request(h.app.app).get(`/api/onboarding/${token}`)).status).toBeGreaterThanOrEqual(400);
    const fresh = /\/onboard\/([A-Za-z0-9_-]{32})$/.exec(rotated.body.link.url)![1]!;
    expect((await request(h.app.app).get(`/api/onboarding/${fresh}`)).status).toBe(200);
    const reissue = () => signed(appNo, keys.privateKey, 'POST', '/openapi/v1/members/OPEN-M-1/onboarding', { requestId: 'req-reissue-0001' });
    const refused = await reissue();
    expect([refused.status, refused.body.error.id]).toEqual([409, 'onboarding.still_active']);
    expect((await reissue()).body).toEqual(refused.body);

    const shown = await signed(appNo, keys.privateKey, 'GET', '/openapi/v1/members/OPEN-M-1').expect(200);
    expect(shown.body).toMatchObject({ bizUserId: 'OPEN-M-1', status: 'PENDING', realNameVerified: false, onboarding: { stage: 'INFORMATION' }, accounts: [] });
  });

  it("shows a member's accounts with balances, and never another application's member", async () => {
    const { t, keys } = await applicationWithKey(h);
    const other = await applicationWithKey(h);
    const m = await createMemberWithAccounts(h.services, t.application.id, ['BOOKKEEPING', 'PAYMENT']);
    await h.services.prisma.account.updateMany({ where: { memberId: m.id, kind: 'PAYMENT' }, data: { balanceFen: 12_345n, reservedFen: 345n } });
    const shown = await signed(t.application.appNo, keys.privateKey, 'GET', `/openapi/v1/members/${m.bizUserId}`).expect(200);
    expect(shown.body.accounts.map((a: { kind: string; balance: string; available: string }) => [a.kind, a.balance, a.available]).sort()).toEqual([
      ['BOOKKEEPING', '0.00', '0.00'],
      ['PAYMENT', '123.45', '120.00'],
    ]);
    for (const [method, path, body] of [
      ['GET', `/openapi/v1/members/${m.bizUserId}`, undefined],
      ['POST', `/openapi/v1/members/${m.bizUserId}/onboarding`, { requestId: 'req-other-0001' }],
      ['POST', `/openapi/v1/members/${m.bizUserId}/onboarding/link`, { requestId: 'req-other-0002' }],
    ] as const) {
      const res = await signed(other.t.application.appNo, other.keys.privateKey, method, path, body);
      expect([res.status, res.body.error.id]).toEqual([404, 'member.not_found']);
    }
  });
});
