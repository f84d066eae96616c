import type request from 'supertest';
import { TEMPLATE_COLUMNS } from '../../domain/member-file';
import { idNumber } from '../../test/support/fixtures';
import { type Harness, createTenant, eventually, signIn, startHarness, uniquePhone } from '../../test/support/harness';

describe('会员迁移: branch request → review → operator configuration → file → review → execution', () => {
  let h: Harness;
  let branch: request.Agent;
  let reviewer: request.Agent;
  let operator: request.Agent;
  beforeAll(async () => {
    h = await startHarness();
    const [b, r, o] = [await createTenant(h.services, 'BRANCH_USER'), await createTenant(h.services, 'REVIEWER'), await createTenant(h.services, 'OPERATOR')];
    [branch, reviewer, operator] = [
      await signIn(h.app, b.username, b.password),
      await signIn(h.app, r.username, r.password),
      await signIn(h.app, o.username, o.password),
    ];
  });
  afterAll(async () => {
    await h?.stop();
  });

  const reviewOf = async (subjectTitle: string) =>
    (
      await eventually(
        () => reviewer.get('/api/reviews?pageSize=100').then((r) => r.body.items as { id: string; title: string }[]),
        (i) => i.some((x) => x.title.includes(subjectTitle)),
      )
    ).find((x) => x.title.includes(subjectTitle))!;

  const file = (rows: string[]) => Buffer.from([TEMPLATE_COLUMNS.INDIVIDUAL.join(','), ...rows].join('\n'));

  it('runs every step and creates the migrated members with their role', async () => {
    const tenant = await createTenant(h.services);
    const app = await signIn(h.app, tenant.username, tenant.password);
    const unknownApp = await branch.post('/api/migrations').send({ appNo: 'NOPE404', reason: '迁移' });
    expect([unknownApp.status, unknownApp.body.error.id]).toEqual([404, 'application.not_found']);
    expect((await app.post('/api/migrations').send({ appNo: tenant.application.appNo, reason: '迁移' })).status).toBe(403);

    const filed = await branch.post('/api/migrations').send({ appNo: tenant.application.appNo, reason: '老系统会员迁入' });
    expect(filed.body.status).toBe('IN_REVIEW');
    const request1 = await reviewOf(`${tenant.application.appNo}）会员迁移申请`);
    // The branch user (分公司业务人员) files; deciding is a reviewer's (its own request above all).
    const own = await branch.post(`/api/reviews/${request1.id}/decision`).send({ approve: true });
    expect([own.status, own.body.error.id]).toEqual([403, 'auth.forbidden']);
    await reviewer.post(`/api/reviews/${request1.id}/decision`).send({ approve: true, reason: '' });
    await eventually(
      () => operator.get(`/api/migrations/${filed.body.id}`).then((r) => r.body.status),
      (s) => s === 'AWAITING_CONFIGURATION',
    );

    const early = await app.post(`/api/migrations/${filed.body.id}/files`).field('kind', 'INDIVIDUAL').attach('file', file([]), 'm.csv');
    expect(early.body.error.id).toBe('migration.wrong_state');
    const configured = await operator.post(`/api/migrations/${filed.body.id}/configuration`);
    expect(configured.body.status).toBe('AWAITING_FILE');
    expect(await h.services.prisma.memberRole.count({ where: { applicationId: tenant.application.id, name: '迁移会员' } })).toBe(1);

    const up = await app
      .post(`/api/migrations/${filed.body.id}/files`)
      .field('kind', 'INDIVIDUAL')
      .attach(
        'file',
        file([`MIG1,迁移甲,身份证,${idNumber()},${uniquePhone()},`, `MIG2,迁移乙,身份证,${idNumber('19850101', '456')},${uniquePhone()},`]),
        '迁移.csv',
      );
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ purpose: 'MIGRATION', totalRows: 2, invalidRows: 0 });
    const other = await createTenant(h.services);
    const otherApp = await signIn(h.app, other.username, other.password);
    expect((await otherApp.get(`/api/migrations/${filed.body.id}`)).status).toBe(404);
    expect((await app.post(`/api/migrations/${filed.body.id}/file-submission`).send({ taskId: up.body.id, consentAttested: true })).body.status).toBe(
      'FILE_IN_REVIEW',
    );

    const fileReview = await reviewOf(`${tenant.application.appNo}）会员迁移文件`);
    expect((await reviewer.get(`/api/reviews/${fileReview.id}`)).body.material).toMatchObject({ totalRows: 2 });
    await reviewer.post(`/api/reviews/${fileReview.id}/decision`).send({ approve: true, reason: '' });
    const done = await eventually(
      () => app.get(`/api/migrations/${filed.body.id}`).then((r) => r.body),
      (m) => m.status === 'COMPLETED',
    );
    expect(done.task).toMatchObject({ processed: 2, succeeded: 2 });
    const role = await h.services.prisma.memberRole.findFirstOrThrow({ where: { applicationId: tenant.application.id } });
    const migrated = await h.services.prisma.member.findMany({ where: { applicationId: tenant.application.id } });
    expect(migrated.map((m) => [m.bizUserId, m.roleId]).sort()).toEqual([
      ['MIG1', role.id],
      ['MIG2', role.id],
    ]);
    const result = await app.get(`/api/imports/${up.body.id}/result`);
    expect(result.text.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('a rejected request ends the migration with the reason shown and nothing executed', async () => {
    const tenant = await createTenant(h.services);
    const app = await signIn(h.app, tenant.username, tenant.password);
    const filed = await branch.post('/api/migrations').send({ appNo: tenant.application.appNo, reason: '迁移' });
    const item = await reviewOf(`${tenant.application.appNo}）会员迁移申请`);
    await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: false, reason: '应用尚未签约' });
    const m = await eventually(
      () => app.get('/api/migrations').then((r) => r.body.items[0]),
      (x) => x?.status === 'REJECTED',
    );
    expect(m.rejectedReason).toBe('迁移申请审核未通过：应用尚未签约');
    expect((await operator.post(`/api/migrations/${filed.body.id}/configuration`)).body.error.id).toBe('migration.wrong_state');
    expect(await h.services.prisma.memberRole.count({ where: { applicationId: tenant.application.id } })).toBe(0);
    const again = await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '' });
    expect(again.body.error.id).toBe('review.not_pending');
  });
});
