/**
 * Service-provider mode (服务商模式, seed 000 §1.1.2 / §2.2.2, seed 003 §5.3.2): a provider saves its
 * keys in 服务商密钥, headquarters operations open its mode, and it then calls the open API for the
 * applications it owns — signed with its own key, with its own nonces and its own sensitive-field key.
 */
import { hash } from '@node-rs/argon2';
import { sm2 } from 'sm-crypto';
import type request from 'supertest';
import { sealField, verifyResponse } from '../../scripts/examples/openapi-client';
import { signedRequest } from '../../test/support/open-api';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { createTenant, fileHarness, signIn, uniquePhone } from '../../test/support/harness';

describe('service-provider mode of the open API', () => {
  const h = fileHarness();

  /** An application, its provider's user signed in to the provider portal, and both key pairs saved. */
  async function providerWithApplication() {
    const t = await createTenant(h.services);
    const providerId = t.application.serviceProviderId;
    const username = `sp-${t.application.appNo}`;
    await h.services.prisma.user.create({
      data: { username, passwordHash: await hash('Test@2026'), role: 'SERVICE_PROVIDER', displayName: '服务商', serviceProviderId: providerId },
    });
    const provider = await signIn(h.app, username, 'Test@2026');
    const providerKeys = sm2.generateKeyPairHex();
    const saved = await provider.put('/api/provider/certificates/public-key').send({ publicKey: providerKeys.publicKey }).expect(200);
    expect(saved.body).toMatchObject({ providerId, publicKey: providerKeys.publicKey, openApiEnabledAt: null });
    const providerSensitiveKey = (await provider.post('/api/provider/certificates/encryption-key').expect(200)).body.encryptionKey as string;
    const portal = await signIn(h.app, t.username, t.password);
    const appKeys = sm2.generateKeyPairHex();
    await portal.put('/api/application-centre/certificates/public-key').send({ publicKey: appKeys.publicKey }).expect(200);
    const appSensitiveKey = (await portal.post('/api/application-centre/certificates/encryption-key').expect(200)).body.encryptionKey as string;
    return { t, providerId, provider, providerKeys, providerSensitiveKey, appKeys, appSensitiveKey, platformPublicKey: saved.body.platformPublicKey as string };
  }

  const call = (opts: Parameters<typeof signedRequest>[1]) => signedRequest(h, opts);
  const errorId = async (r: request.Test) => {
    const res = await r;
    return [res.status, res.body.error?.id];
  };

  it('is refused until headquarters operations open it, then serves the provider’s own applications only', async () => {
    const p = await providerWithApplication();
    const other = await providerWithApplication();
    const asProvider = (path: string, appNo = p.t.application.appNo, extra: { nonce?: string } = {}) =>
      call({ appNo, privateKey: p.providerKeys.privateKey, provider: p.providerId, path, ...extra });
    expect(await errorId(asProvider('/openapi/v1/application'))).toEqual([403, 'openapi.provider_not_enabled']);

    const operator = await signIn(h.app, (await createTenant(h.services, 'OPERATOR')).username, 'Test@2026');
    const opened = await operator.put(`/api/operator/providers/${p.providerId}/open-api`).send({ enabled: true }).expect(200);
    expect(opened.body).toMatchObject({ id: p.providerId, publicKeySet: true, encryptionKeySet: true, openApiEnabledAt: expect.any(String) });
    const listed = (await operator.get('/api/operator/providers').expect(200)).body.items.find((r: { id: string }) => r.id === p.providerId);
    expect(listed.openApiEnabledAt).toBe(opened.body.openApiEnabledAt);
    expect((await p.provider.get('/api/provider/certificates').expect(200)).body.openApiEnabledAt).toBe(opened.body.openApiEnabledAt);

    const served = await asProvider('/openapi/v1/application').expect(200);
    expect(served.body.appNo).toBe(p.t.application.appNo);
    expect(verifyResponse(p.platformPublicKey, served.headers, Buffer.from(served.text))).toBe(true);
    // Another provider's application: refused, whatever the provider signs.
    expect(await errorId(asProvider('/openapi/v1/application', other.t.application.appNo))).toEqual([403, 'openapi.not_provider_application']);
    // Keys do not cross: the application's key in provider mode, the provider's key without it.
    expect(
      await errorId(call({ appNo: p.t.application.appNo, privateKey: p.appKeys.privateKey, provider: p.providerId, path: '/openapi/v1/application' })),
    ).toEqual([401, 'openapi.signature_invalid']);
    expect(await errorId(call({ appNo: p.t.application.appNo, privateKey: p.providerKeys.privateKey, path: '/openapi/v1/application' }))).toEqual([
      401,
      'openapi.signature_invalid',
    ]);
    // Nonces: the provider's are its own namespace (the application may use the same), never twice.
    const nonce = 'shared-nonce-0123456789';
    await call({ appNo: p.t.application.appNo, privateKey: p.appKeys.privateKey, path: '/openapi/v1/application', nonce }).expect(200);
    await asProvider('/openapi/v1/application', p.t.application.appNo, { nonce }).expect(200);
    expect(await errorId(asProvider('/openapi/v1/application', p.t.application.appNo, { nonce }))).toEqual([401, 'openapi.replayed']);

    // Closed again: refused again.
    await operator.put(`/api/operator/providers/${p.providerId}/open-api`).send({ enabled: false }).expect(200);
    expect(await errorId(asProvider('/openapi/v1/application'))).toEqual([403, 'openapi.provider_not_enabled']);
    expect(await h.services.prisma.auditLog.count({ where: { target: `service-provider:${p.providerId}`, action: { startsWith: 'provider.open_api' } } })).toBe(
      2,
    );
  });

  it("opens sensitive fields with the provider's key in provider mode", async () => {
    const p = await providerWithApplication();
    const operator = await signIn(h.app, (await createTenant(h.services, 'OPERATOR')).username, 'Test@2026');
    await operator.put(`/api/operator/providers/${p.providerId}/open-api`).send({ enabled: true }).expect(200);
    const proxy = (requestId: string, key: string) => ({
      requestId,
      type: 'INDIVIDUAL',
      bizUserId: `SP-${requestId}`,
      realName: {
        name: '王小明',
        idNumber: sealField(idNumber(), key),
        cardNumber: sealField(cardNumber('621700'), key),
        phone: sealField(uniquePhone(), key),
      },
    });
    const send = (body: unknown) =>
      call({
        appNo: p.t.application.appNo,
        privateKey: p.providerKeys.privateKey,
        provider: p.providerId,
        method: 'POST',
        path: '/openapi/v1/members/proxy',
        body,
      });
    expect(await errorId(send(proxy('req-sp-00001', p.appSensitiveKey)))).toEqual([400, 'openapi.field_key_unknown']);
    const first = proxy('req-sp-00002', p.providerSensitiveKey);
    const created = await send(first).expect(201);
    expect(created.body.member).toMatchObject({ bizUserId: 'SP-req-sp-00002', onboarding: { mode: 'PROXY' } });
    // Resent: the same answer; one audit row, saying it came by signed request and which provider signed.
    await send(first).expect(201);
    const member = await h.services.prisma.member.findFirstOrThrow({ where: { applicationId: p.t.application.id, bizUserId: 'SP-req-sp-00002' } });
    const audited = await h.services.prisma.auditLog.findMany({ where: { target: `member:${member.id}` } });
    expect(audited.map((a) => [a.action, a.actorRole, a.detail])).toEqual([
      ['member.onboarding.start', 'APPLICATION', expect.objectContaining({ via: 'OPEN_API', serviceProviderId: p.providerId })],
    ]);
    // An order the provider places for the application is audited too (the application's own are its order records).
    await h.services.prisma.member.update({ where: { id: member.id }, data: { status: 'NORMAL' } });
    const order = { kind: 'TOP_UP', bizOrderNo: 'SP-ORDER-1', amount: '5.00', receiver: 'SP-req-sp-00002', paymentMethod: 'ALIPAY' };
    const placed = await call({
      appNo: p.t.application.appNo,
      privateKey: p.providerKeys.privateKey,
      provider: p.providerId,
      method: 'POST',
      path: '/openapi/v1/orders',
      body: order,
    });
    expect([placed.status, placed.body.error?.id]).toEqual([201, undefined]);
    const orderRow = await h.services.prisma.order.findFirstOrThrow({ where: { applicationId: p.t.application.id, bizOrderNo: 'SP-ORDER-1' } });
    expect((await h.services.prisma.auditLog.findFirstOrThrow({ where: { target: `order:${orderRow.id}` } })).detail).toEqual({
      bizOrderNo: 'SP-ORDER-1',
      kind: 'TOP_UP',
      via: 'OPEN_API',
      serviceProviderId: p.providerId,
    });
  });
});
