/**
 * 平台代开户 by signed request: sensitive fields SM4-sealed with the application's key (sealed by
 * the client example with sm-crypto, opened by the platform with sm-crypto-v2), photos uploaded by
 * signed request, the key's overlap window after 生成加密秘钥, and the refusals of each.
 */
import { sealField } from '../../scripts/examples/openapi-client';
import { applicationWithKey, signedRequest } from '../../test/support/open-api';
import { PNG_1X1, cardNumber, creditCode, idNumber } from '../../test/support/fixtures';
import { fileHarness, outboxWait, testNow, uniquePhone } from '../../test/support/harness';

describe('平台代开户 through the signed open API, with SM4-sealed fields', () => {
  const h = fileHarness();

  const applicationWithKeys = () => applicationWithKey(h, { sensitiveKey: true });
  const signed = (appNo: string, privateKey: string, path: string, body: unknown) => signedRequest(h, { appNo, privateKey, method: 'POST', path, body });

  it('an individual with sealed ID, card and phone is created once; the member gets the confirmation SMS', async () => {
    const { t, keys, sensitiveKey } = await applicationWithKeys();
    const phone = uniquePhone();
    const after = new Date();
    const realName = { name: '李晓红', idNumber: idNumber(), cardNumber: cardNumber('621700'), phone };
    const sealed = () => ({
      requestId: 'req-proxy-0001',
      type: 'INDIVIDUAL',
      bizUserId: 'OPEN-P-1',
      realName: {
        name: realName.name,
        idNumber: sealField(realName.idNumber, sensitiveKey),
        cardNumber: sealField(realName.cardNumber, sensitiveKey),
        phone: sealField(phone, sensitiveKey),
      },
    });
    const created = await signed(t.application.appNo, keys.privateKey, '/openapi/v1/members/proxy', sealed()).expect(201);
    expect(created.body.member).toMatchObject({ bizUserId: 'OPEN-P-1', realNameVerified: true, onboarding: { mode: 'PROXY', stage: 'CONFIRMATION' } });
    // Stored as the portal stores it: the ID number masked, the card's number sealed by the product's own key.
    const member = await h.services.prisma.member.findFirstOrThrow({
      where: { applicationId: t.application.id, bizUserId: 'OPEN-P-1' },
      include: { bankCards: true },
    });
    expect(h.services.crypto.decrypt(member.idNumberEnc!)).toBe(realName.idNumber);
    expect(h.services.crypto.decrypt(member.bankCards[0]!.cardNumberEnc)).toBe(realName.cardNumber);
    await outboxWait(h.config, (m) => m.channel === 'sms' && m.to === `+86${phone}` && m.body.includes('代办') && new Date(m.receivedAt) >= after, 15_000);
    // Resent, sealed afresh (new IVs): the same request, the same answer, nothing twice.
    const again = await signed(t.application.appNo, keys.privateKey, '/openapi/v1/members/proxy', sealed()).expect(201);
    expect(again.body).toEqual(created.body);
    expect(await h.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(1);
  });

  it('refuses fields sent in clear or sealed with a key not in force, and keeps the replaced key for its window', async () => {
    const { t, portal, keys, sensitiveKey } = await applicationWithKeys();
    const appNo = t.application.appNo;
    const body = (n: number, seal: (v: string) => string) => ({
      requestId: `req-proxy-key-${n}`,
      type: 'INDIVIDUAL',
      bizUserId: `OPEN-K-${n}`,
      realName: { name: '王小明', idNumber: seal(idNumber()), cardNumber: seal(cardNumber('621700')), phone: seal(uniquePhone()) },
    });
    const errorOf = async (b: unknown) => {
      const res = await signed(appNo, keys.privateKey, '/openapi/v1/members/proxy', b);
      return [res.status, res.body.error?.id, res.body.error?.details?.field];
    };
    expect(await errorOf(body(1, (v) => v))).toEqual([400, 'openapi.field_sealing', 'realName.idNumber']);
    expect(await errorOf(body(2, (v) => sealField(v, 'ab'.repeat(16))))).toEqual([400, 'openapi.field_key_unknown', 'realName.idNumber']);
    const tampered = sealField(idNumber(), sensitiveKey).replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(
      await errorOf({
        ...body(3, (v) => sealField(v, sensitiveKey)),
        realName: { ...body(3, (v) => sealField(v, sensitiveKey)).realName, idNumber: tampered },
      }),
    ).toEqual([400, 'openapi.field_sealing', 'realName.idNumber']);

    // 生成加密秘钥 again: the old key is still accepted for a day, beside the new one.
    const regenerated = await portal.post('/api/application-centre/certificates/encryption-key').expect(200);
    const newKey = regenerated.body.encryptionKey as string;
    expect(Date.parse(regenerated.body.previousKeyValidUntil) - testNow().getTime()).toBeGreaterThan(23 * 3600_000);
    expect((await portal.get('/api/application-centre/certificates').expect(200)).body.previousKeyValidUntil).toBe(regenerated.body.previousKeyValidUntil);
    await signed(
      appNo,
      keys.privateKey,
      '/openapi/v1/members/proxy',
      body(4, (v) => sealField(v, sensitiveKey)),
    ).expect(201);
    await signed(
      appNo,
      keys.privateKey,
      '/openapi/v1/members/proxy',
      body(5, (v) => sealField(v, newKey)),
    ).expect(201);
    // The window over: the old key is refused.
    await h.services.prisma.applicationCredential.update({
      where: { applicationId: t.application.id },
      data: { previousKeyValidUntil: new Date(testNow().getTime() - 1000) },
    });
    expect(await errorOf(body(6, (v) => sealField(v, sensitiveKey)))).toEqual([400, 'openapi.field_key_unknown', 'realName.idNumber']);
    expect(await h.services.prisma.member.count({ where: { applicationId: t.application.id } })).toBe(2);
  });

  it('an enterprise names the photos it uploaded by signed request; another application cannot use them', async () => {
    const { t, keys, sensitiveKey } = await applicationWithKeys();
    const other = await applicationWithKeys();
    const upload = (app: typeof t, privateKey: string, bytes: Buffer) => signed(app.application.appNo, privateKey, '/openapi/v1/uploads', bytes);
    const refusedUpload = await upload(t, keys.privateKey, Buffer.from('%PDF-1.4 not an image'));
    expect([refusedUpload.status, refusedUpload.body.error.id]).toEqual([415, 'upload.wrong_type']);
    const tooLarge = await upload(t, keys.privateKey, Buffer.concat([PNG_1X1, Buffer.alloc(5 * 1024 * 1024)]));
    expect([tooLarge.status, tooLarge.body.error.id]).toEqual([413, 'request.too_large']);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(t, keys.privateKey, PNG_1X1).expect(201);
      expect(res.body).toMatchObject({ mimeType: 'image/png', size: PNG_1X1.length });
      ids.push(res.body.uploadId);
    }
    const enterprise = (requestId: string, photos: string[], key = sensitiveKey) => ({
      requestId,
      type: 'ENTERPRISE',
      bizUserId: `OPEN-E-${requestId}`,
      company: { name: '深圳开放接口科技有限公司', creditCode: creditCode(), address: '深圳市南山区', businessScope: '软件开发' },
      legalRepresentative: { name: '张法人', idNumber: sealField(idNumber(), key), phone: sealField(uniquePhone(), key) },
      photos: { businessLicence: photos[0], idFront: photos[1], idBack: photos[2] },
    });
    // Another application's request naming these uploads: not found, nothing made.
    const foreign = await signed(
      other.t.application.appNo,
      other.keys.privateKey,
      '/openapi/v1/members/proxy',
      enterprise('req-ent-0001', ids, other.sensitiveKey),
    );
    expect([foreign.status, foreign.body.error.id]).toEqual([404, 'openapi.upload_unknown']);
    const created = await signed(t.application.appNo, keys.privateKey, '/openapi/v1/members/proxy', enterprise('req-ent-0002', ids)).expect(201);
    expect(created.body.member).toMatchObject({ type: 'ENTERPRISE', onboarding: { mode: 'PROXY', stage: 'CONFIRMATION' } });
    const member = await h.services.prisma.member.findFirstOrThrow({ where: { applicationId: t.application.id, bizUserId: 'OPEN-E-req-ent-0002' } });
    expect(await h.services.prisma.upload.count({ where: { memberId: member.id } })).toBe(3);
    expect(await h.services.prisma.member.count({ where: { applicationId: other.t.application.id } })).toBe(0);
  });
});
