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
    expect(await backfillPersonalData(h.services.prisma, h.services.crypto, { applicationId: tenant.application.id })).toEqual({
      members: 0,
      agreements: 0,
      idNumbers: 0,
    });
  });

  it('gives members stored before ID-number digests theirs once, and 会员查询 then finds them by ID number or bound phone', async () => {
    const { agent, tenant } = await signedInTenant(h);
    const { crypto, prisma } = h.services;
    const idNumber = '11010519900307123X';
    const phone = '13912345678';
    // As a release before the digest wrote it: encrypted and masked only.
    const old = await prisma.member.create({
      data: {
        applicationId: tenant.application.id,
        bizUserId: `id-${randomUUID().slice(0, 8)}`,
        type: 'INDIVIDUAL',
        status: 'NORMAL',
        displayName: '钱**',
        personNameEnc: crypto.encrypt('钱多多'),
        nameDigest: crypto.digest('person-name', '钱多多'),
        idNumberEnc: crypto.encrypt(idNumber),
        idNumberMasked: '110***********123X',
        boundPhoneEnc: crypto.encrypt(phone),
        boundPhoneMasked: '139****5678',
        boundPhoneDigest: crypto.digest('phone', phone),
      },
    });
    const found = async (keyword: string) => ((await agent.get('/api/members').query({ keyword })).body.items as { id: string }[]).map((m) => m.id);
    expect(await found(idNumber)).toEqual([]);
    const first = await backfillPersonalData(prisma, crypto, { applicationId: tenant.application.id });
    expect(first.idNumbers).toBe(1);
    expect((await prisma.member.findUniqueOrThrow({ where: { id: old.id } })).idNumberDigest).not.toBeNull();
    expect(await found(idNumber)).toEqual([old.id]);
    expect(await found(idNumber.toLowerCase())).toEqual([old.id]); // the check letter in either case
    expect(await found(phone)).toEqual([old.id]);
    expect(await found('110105199003071230')).toEqual([]);
    expect((await backfillPersonalData(prisma, crypto, { applicationId: tenant.application.id })).idNumbers).toBe(0);
    // Members written now carry the digest at once (here 平台代开户).
    const proxyId = '110105198511114560';
    const proxy = await agent.post('/api/members/proxy').send({
      type: 'INDIVIDUAL',
      bizUserId: `px-${randomUUID().slice(0, 8)}`,
      realName: { name: '孙小美', idNumber: proxyId, cardNumber: '6217002963074185290', phone: '13912345679' },
    });
    expect(proxy.status).toBe(201);
    expect(await found(proxyId)).toEqual([proxy.body.member.id]);
    // Filtered by status as well: a normal member is not among those still 开户中.
    expect(((await agent.get('/api/members').query({ keyword: phone, status: 'PENDING' })).body.items as unknown[]).length).toBe(0);
  });
});
