/**
 * 会员详情 → 证照: the platform sees the licence and ID photos its enterprise member uploaded; each
 * view is audited with the photo's kind, the answer is never cached, and no other application (or
 * role) reaches them.
 */
import { randomUUID } from 'node:crypto';
import { PNG_1X1, creditCode, idNumber } from '../../test/support/fixtures';
import { binaryBody, createTenant, fileHarness, signIn, signedInTenant, uniquePhone } from '../../test/support/harness';

describe('会员证照', () => {
  const h = fileHarness();

  it('shows each uploaded photo to the member’s own platform, one audit row per view', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const data = {
      type: 'ENTERPRISE',
      bizUserId: `ph-${randomUUID().slice(0, 6)}`,
      company: { name: '深圳证照查看科技有限公司', creditCode: creditCode(), address: '深圳市南山区', businessScope: '软件开发' },
      legalRepresentative: { name: '冯法人', idNumber: idNumber(), phone: uniquePhone() },
    };
    const licence = Buffer.concat([PNG_1X1, Buffer.from('licence')]);
    const created = await agent
      .post('/api/members/proxy')
      .field('data', JSON.stringify(data))
      .attach('businessLicence', licence, 'licence.png')
      .attach('idFront', PNG_1X1, 'front.png')
      .attach('idBack', PNG_1X1, 'back.png')
      .expect(201);
    const memberId = created.body.member.id as string;
    const detail = await agent.get(`/api/members/${memberId}`).expect(200);
    const photos = detail.body.photos as { id: string; kind: string; mimeType: string; size: number }[];
    expect(photos.map((p) => p.kind)).toEqual(['BUSINESS_LICENCE', 'ID_BACK', 'ID_FRONT']);
    expect(JSON.stringify(detail.body.photos)).not.toContain(PNG_1X1.toString('base64'));
    const licencePhoto = photos.find((p) => p.kind === 'BUSINESS_LICENCE')!;
    expect(licencePhoto).toMatchObject({ mimeType: 'image/png', size: licence.length });

    const seen = await agent.get(`/api/members/${memberId}/photos/${licencePhoto.id}`).buffer(true).parse(binaryBody).expect(200);
    expect(seen.headers['content-type']).toBe('image/png');
    expect(seen.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(seen.body as Buffer, licence)).toBe(0);
    await agent.get(`/api/members/${memberId}/photos/${licencePhoto.id}`).expect(200);
    const views = await h.services.prisma.auditLog.findMany({ where: { action: 'member.photo.view', target: `member:${memberId}` } });
    expect(views).toHaveLength(2);
    expect(views.every((v) => v.actorId === tenant.user.id && (v.detail as { kind: string }).kind === 'BUSINESS_LICENCE')).toBe(true);

    // Another application, another member's path, a reviewer: nothing.
    const other = await signedInTenant(h);
    const foreign = await other.agent.get(`/api/members/${memberId}/photos/${licencePhoto.id}`);
    expect([foreign.status, foreign.body.error?.id]).toEqual([404, 'member.photo_not_found']);
    const someoneElse = await agent.get(`/api/members/${randomUUID()}/photos/${licencePhoto.id}`);
    expect(someoneElse.body.error?.id).toBe('member.photo_not_found');
    const reviewer = await createTenant(h.services, 'REVIEWER');
    expect((await (await signIn(h.app, reviewer.username, reviewer.password)).get(`/api/members/${memberId}/photos/${licencePhoto.id}`)).status).toBe(403);
    expect((await agent.get(`/api/members/${memberId}/photos/not-a-photo`)).body.error.id).toBe('request.invalid');
    expect(await h.services.prisma.auditLog.count({ where: { action: 'member.photo.view', target: `member:${memberId}` } })).toBe(2);
  });
});
