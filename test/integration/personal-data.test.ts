/**
 * Personal data at rest and in answers (README "Personal information"): an individual's name is
 * stored masked and encrypted with a digest for search, signer names are encrypted, mail subjects
 * carry the member number only, answers are not cached, and rows of earlier versions are converted.
 */
import { randomUUID } from 'node:crypto';
import { backfillPersonalData } from '../../lib/business/personal-data';
import { fileHarness, signedInTenant } from '../support/harness';

describe('personal data at rest and in answers', () => {
  const h = fileHarness();

  it("an individual's name is stored masked and encrypted, and 会员查询 finds the member by its full name", async () => {
    const { agent, tenant } = await signedInTenant(h);
    const created = await agent.post('/api/members').send({ type: 'INDIVIDUAL', bizUserId: `p-${randomUUID().slice(0, 8)}`, name: '欧阳小明' });
    expect(created.status).toBe(201);
    const row = await h.services.prisma.member.findUniqueOrThrow({ where: { id: created.body.member.id } });
    expect(row.displayName).toBe('欧***');
    expect(JSON.stringify(row)).not.toContain('欧阳小明');
    expect(h.services.crypto.decrypt(row.personNameEnc!)).toBe('欧阳小明');

    const byFullName = await agent.get('/api/members').query({ keyword: '欧阳小明' });
    expect(byFullName.body.items.map((m: { id: string }) => m.id)).toEqual([row.id]);
    const byPart = await agent.get('/api/members').query({ keyword: '欧阳' });
    expect(byPart.body.items).toEqual([]); // a part of the name is not searchable: only its masked form or the whole
    expect(byPart.headers['cache-control']).toBe('no-store');
    expect(tenant.application.id).toBe(row.applicationId);
  });

  it('converts rows of earlier versions once: plain names become masked, encrypted and searchable; signer names encrypted', async () => {
    const { tenant } = await signedInTenant(h);
    const member = await h.services.prisma.member.create({
      data: { applicationId: tenant.application.id, bizUserId: `old-${randomUUID().slice(0, 8)}`, type: 'INDIVIDUAL', displayName: '司马相如' },
    });
    const agreement = await h.services.prisma.agreement.create({
      data: {
        memberId: member.id,
        applicationId: tenant.application.id,
        kind: 'MEMBER_SERVICE',
        category: 'MEMBER',
        title: '会员服务协议',
        version: 'v1',
        documentHash: 'x',
        signMethod: 'SMS_CODE',
        signerName: '司马相如',
        signedPhoneMasked: '138****0000',
        signedAt: h.services.clock.now(),
      },
    });
    const first = await backfillPersonalData(h.services.prisma, h.services.crypto, { applicationId: tenant.application.id });
    expect(first.members).toBeGreaterThanOrEqual(1);
    expect(first.agreements).toBeGreaterThanOrEqual(1);
    const m = await h.services.prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(m.displayName).toBe('司***');
    expect(h.services.crypto.decrypt(m.personNameEnc!)).toBe('司马相如');
    expect(m.nameDigest).not.toBeNull();
    const a = await h.services.prisma.agreement.findUniqueOrThrow({ where: { id: agreement.id } });
    expect(a.signerName).toBeNull();
    expect(h.services.crypto.decrypt(a.signerNameEnc!)).toBe('司马相如');
    expect(await backfillPersonalData(h.services.prisma, h.services.crypto, { applicationId: tenant.application.id })).toEqual({ members: 0, agreements: 0 });
  });
});
