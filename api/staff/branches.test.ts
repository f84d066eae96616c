/**
 * 分公司 through the API: headquarters creates a branch and moves an application to it; the branch's
 * only reviewer files a migration for that application, which — with nobody else in the branch to keep
 * four eyes on it — is escalated to headquarters, who decides it; a branch reviewer cannot file for
 * another branch's application; moving a person to another branch ends their sessions.
 */
import { randomUUID } from 'node:crypto';
import { createTenant, eventually, fileHarness, signIn } from '../../test/support/harness';

describe('分公司', () => {
  const h = fileHarness();

  it('scopes a branch’s staff to its applications and escalates a single reviewer’s own item to headquarters', async () => {
    const op = await createTenant(h.services, 'OPERATOR');
    const ops = await signIn(h.app, op.username, op.password);
    const code = `SZ${randomUUID()
      .slice(0, 6)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'X')}`;
    const created = await ops.post('/api/staff/branches').send({ code, name: `深圳分公司${code}` });
    expect(created.status).toBe(201);
    const branchId = created.body.id as string;
    expect((await ops.post('/api/staff/branches').send({ code, name: '另一个' })).body.error.id).toBe('branch.duplicate');
    expect((await ops.post('/api/staff/branches').send({ code: 'x', name: '' })).body.error.id).toBe('request.invalid');

    const ours = await createTenant(h.services);
    const theirs = await createTenant(h.services);
    const move = await ops.put(`/api/staff/applications/${ours.application.appNo}/branch`).send({ branchId, reason: '客户归属深圳' });
    expect(move.body).toMatchObject({ appNo: ours.application.appNo, branch: { id: branchId }, openReviewItems: 0 });
    const listed = await ops.get('/api/staff/branches');
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: branchId, applications: 1, staff: 0 })]));

    // The branch's only reviewer.
    const lone = await createTenant(h.services, 'REVIEWER');
    await h.services.prisma.user.update({ where: { id: lone.user.id }, data: { branchId } });
    const branchReviewer = await signIn(h.app, lone.username, lone.password);
    const elsewhere = await branchReviewer.post('/api/migrations').send({ appNo: theirs.application.appNo, reason: '跨分公司' });
    expect(elsewhere.body.error.id).toBe('application.not_found');
    const filed = await branchReviewer.post('/api/migrations').send({ appNo: ours.application.appNo, reason: '存量会员迁移' });
    expect(filed.status).toBe(201);

    const hq = await createTenant(h.services, 'REVIEWER');
    const headquarters = await signIn(h.app, hq.username, hq.password);
    const item = (
      await eventually(
        () => headquarters.get('/api/reviews').query({ state: 'PENDING', kind: 'MIGRATION_REQUEST' }),
        (r) => (r.body.items as { title: string }[]).some((i) => i.title.includes(ours.application.appNo)),
        'the migration request in the queue',
      )
    ).body.items.find((i: { title: string }) => i.title.includes(ours.application.appNo));
    expect(item.escalated).toBe(true);
    const own = await branchReviewer.get(`/api/reviews/${item.id}`);
    expect(own.body).toMatchObject({ ownSubmission: true, escalated: true });
    expect((await branchReviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '' })).body.error.id).toBe('review.own_submission');
    await headquarters.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '' }).expect(200);

    // Moving the reviewer to headquarters: its session ends (the next one sees every branch).
    await ops.put(`/api/staff/${lone.user.id}/branch`).send({ branchId: null }).expect(200);
    expect((await branchReviewer.get('/api/reviews')).status).toBe(401);
    const audits = await h.services.prisma.auditLog.findMany({
      where: { action: { in: ['branch.create', 'application.branch', 'staff.branch'] }, actorId: op.user.id },
    });
    expect(audits.map((a) => a.action).sort()).toEqual(['application.branch', 'branch.create', 'staff.branch']);
  });
});
