import { sm2 } from 'sm-crypto';
import request from 'supertest';
import { signRequest, verifyResponse } from '../../scripts/examples/openapi-client';
import { binaryBody, createOnboardedMember, createTenant, signIn, fileHarness } from '../../test/support/harness';

describe('证书管理 and the SM2-signed open API', () => {
  const h = fileHarness();

  /** An application whose public key is saved through 证书管理, with its private key kept by the test (the browser's role). */
  async function applicationWithKey() {
    const t = await createTenant(h.services);
    const portal = await signIn(h.app, t.username, t.password);
    const keys = sm2.generateKeyPairHex();
    const saved = await portal.put('/api/application-centre/certificates/public-key').send({ publicKey: keys.publicKey.toUpperCase() }).expect(200);
    expect(saved.body).toMatchObject({ publicKey: keys.publicKey, encryptionKeySet: false });
    return { t, portal, keys, platformPublicKey: saved.body.platformPublicKey as string };
  }

  function call(appNo: string, privateKey: string, path: string, opts: { now?: number; nonce?: string; requestPath?: string } = {}) {
    const signed = signRequest({ appNo, privateKey, method: 'GET', path, ...opts });
    const req = request(h.app.app).get(opts.requestPath ?? path);
    for (const [k, v] of Object.entries(signed.headers)) req.set(k, v);
    return { req, signed };
  }

  it('a request signed with the application key is answered, and the answer carries the platform signature', async () => {
    const { t, keys, platformPublicKey, portal } = await applicationWithKey();
    const member = await createOnboardedMember(h.services, t.application.id);
    const res = await call(t.application.appNo, keys.privateKey, '/openapi/v1/application').req.expect(200);
    expect(res.body).toEqual({ appNo: t.application.appNo, name: t.application.name, fundMode: 'POST_SETTLEMENT', live: false, environment: 'PRODUCTION' });
    expect(verifyResponse(platformPublicKey, res.headers, Buffer.from(res.text))).toBe(true);
    expect(verifyResponse(sm2.generateKeyPairHex().publicKey, res.headers, Buffer.from(res.text))).toBe(false);

    const found = await call(t.application.appNo, keys.privateKey, `/openapi/v1/members/${member.bizUserId}`).req.expect(200);
    expect(found.body).toMatchObject({ bizUserId: member.bizUserId, status: 'NORMAL', realNameVerified: expect.any(Boolean) });
    // The platform public key downloads as a file, the same key.
    const file = await portal.get('/api/application-centre/certificates/platform-public-key').buffer(true).parse(binaryBody).expect(200);
    expect((file.body as Buffer).toString('utf8').trim()).toBe(platformPublicKey);
  });

  it('refuses unsigned, forged, stale, replayed and redirected requests, each with its own id, and stays in its own application', async () => {
    const { t, keys } = await applicationWithKey();
    const other = await applicationWithKey();
    const otherMember = await createOnboardedMember(h.services, other.t.application.id);
    const id = async (r: request.Test) => {
      const res = await r;
      expect(res.status).toBeGreaterThanOrEqual(400);
      return res.body.error.id as string;
    };
    expect(await id(request(h.app.app).get('/openapi/v1/application'))).toBe('openapi.unsigned');
    expect(await id(call(t.application.appNo, sm2.generateKeyPairHex().privateKey, '/openapi/v1/application').req)).toBe('openapi.signature_invalid');
    expect(await id(call(t.application.appNo, keys.privateKey, '/openapi/v1/application', { now: Date.now() - 6 * 60_000 }).req)).toBe('openapi.timestamp');
    expect(await id(call(t.application.appNo, keys.privateKey, '/openapi/v1/application', { requestPath: '/openapi/v1/application?x=1' }).req)).toBe(
      'openapi.signature_invalid',
    );
    // Another application's key does not speak for this one.
    expect(await id(call(t.application.appNo, other.keys.privateKey, '/openapi/v1/application').req)).toBe('openapi.signature_invalid');
    const unknown = await createTenant(h.services);
    expect(await id(call(unknown.application.appNo, keys.privateKey, '/openapi/v1/application').req)).toBe('openapi.no_public_key');

    const nonce = 'replay-nonce-0123456789';
    await call(t.application.appNo, keys.privateKey, '/openapi/v1/application', { nonce }).req.expect(200);
    expect(await id(call(t.application.appNo, keys.privateKey, '/openapi/v1/application', { nonce }).req)).toBe('openapi.replayed');
    expect(await id(call(t.application.appNo, keys.privateKey, `/openapi/v1/members/${otherMember.bizUserId}`).req)).toBe('member.not_found');
  });

  it('validates the public key and hands out the sensitive-field key once, stored encrypted', async () => {
    const t = await createTenant(h.services);
    const portal = await signIn(h.app, t.username, t.password);
    expect((await portal.put('/api/application-centre/certificates/public-key').send({ publicKey: 'abc' }).expect(400)).body.error.message).toContain('130位');
    expect(
      (
        await portal
          .put('/api/application-centre/certificates/public-key')
          .send({ publicKey: `04${'1'.repeat(128)}` })
          .expect(422)
      ).body.error.id,
    ).toBe('certificate.public_key_invalid');
    const generated = await portal.post('/api/application-centre/certificates/encryption-key').expect(200);
    expect(generated.body.encryptionKey).toMatch(/^[0-9a-f]{32}$/);
    const view = await portal.get('/api/application-centre/certificates').expect(200);
    expect(view.body).toMatchObject({ encryptionKeySet: true, publicKey: null });
    expect(JSON.stringify(view.body)).not.toContain(generated.body.encryptionKey);
    const row = await h.services.prisma.applicationCredential.findUniqueOrThrow({ where: { applicationId: t.application.id } });
    expect(row.encryptionKeyEnc).not.toContain(generated.body.encryptionKey);
    expect(h.services.crypto.decrypt(row.encryptionKeyEnc!)).toBe(generated.body.encryptionKey);
    expect(await h.services.prisma.auditLog.count({ where: { action: 'certificate.encryption_key', target: `application:${t.application.id}` } })).toBe(1);
  });
});
