import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type request from 'supertest';
import { TEMPLATE_COLUMNS } from '../../domain/member-file';
import { cardNumber, idNumber } from '../../test/support/fixtures';
import { type Harness, binaryBody, createTenant, eventually, signIn, startHarness, uniquePhone } from '../../test/support/harness';

const HEADER = TEMPLATE_COLUMNS.INDIVIDUAL.join(',');

describe('会员批导: window, upload checks, review and execution (real Postgres, Temporal)', () => {
  let h: Harness;
  let reviewer: request.Agent;
  beforeAll(async () => {
    h = await startHarness();
    const r = await createTenant(h.services, 'REVIEWER');
    reviewer = await signIn(h.app, r.username, r.password);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function pendingReviewFor(subjectTitle: string) {
    const queue = await eventually(
      () => reviewer.get('/api/reviews?state=PENDING&pageSize=100').then((r) => r.body.items as { id: string; title: string }[]),
      (items) => items.some((i) => i.title.includes(subjectTitle)),
      'the review item',
    );
    return queue.find((i) => i.title.includes(subjectTitle))!;
  }

  /** A platform whose import window a reviewer has opened. */
  async function openPlatform() {
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    expect((await agent.get('/api/imports/window')).body.open).toBe(false);
    const requested = await agent.post('/api/imports/window/requests').send({ reason: '存量会员导入' });
    expect(requested.status).toBe(201);
    expect((await agent.post('/api/imports/window/requests').send({ reason: '再次申请' })).body.error.id).toBe('import.window_pending');
    const item = await pendingReviewFor(tenant.application.appNo);
    const decided = await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '同意' });
    expect(decided.status).toBe(200);
    const window = await eventually(
      () => agent.get('/api/imports/window').then((r) => r.body),
      (b) => b.open,
      'the window to open',
    );
    const days = (Date.parse(window.window.closesAt) - Date.parse(window.window.openedAt)) / 86_400_000;
    expect(days).toBe(14);
    return { tenant, agent };
  }

  const row = (biz: string, over: Partial<Record<'name' | 'idType' | 'id' | 'phone' | 'card', string>> = {}) =>
    [biz, over.name ?? '导入会员', over.idType ?? '身份证', over.id ?? idNumber(), over.phone ?? uniquePhone(), over.card ?? cardNumber('621700')].join(',');

  it('refuses uploads while the window is closed, and every bad file class with a stable id', async () => {
    const tenant = await createTenant(h.services);
    const closed = await signIn(h.app, tenant.username, tenant.password);
    const res = await closed
      .post('/api/imports')
      .field('kind', 'INDIVIDUAL')
      .attach('file', Buffer.from(`${HEADER}\n${row('A1')}`), 'a.csv');
    expect([res.status, res.body.error.id]).toEqual([409, 'import.window_closed']);

    const { agent } = await openPlatform();
    const cases: [Buffer, string, number, string][] = [
      [Buffer.alloc(0), 'empty.csv', 400, 'import.empty'],
      [Buffer.from(`${HEADER}\n`), 'header-only.csv', 400, 'import.empty'],
      [Buffer.from('会员编号,名字\nA1,张三'), 'header.csv', 422, 'import.header_mismatch'],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'image.csv', 415, 'import.wrong_type'],
      [Buffer.from('%PDF-1.4'), 'members.pdf', 415, 'import.wrong_type'],
      [Buffer.from([0xff, 0xfe, 0x80, 0x81, 0xff, 0x0a]), 'bytes.csv', 415, 'import.wrong_encoding'],
      [Buffer.from('PK\u0003\u0004 not a zip'), 'broken.xlsx', 415, 'import.wrong_type'],
    ];
    for (const [data, name, status, id] of cases) {
      const r = await agent.post('/api/imports').field('kind', 'INDIVIDUAL').attach('file', data, name);
      expect([name, r.status, r.body.error?.id]).toEqual([name, status, id]);
    }
    const noKind = await agent.post('/api/imports').attach('file', Buffer.from(`${HEADER}\n${row('A1')}`), 'a.csv');
    expect(noKind.body.error.id).toBe('request.invalid');
    const big = await agent
      .post('/api/imports')
      .field('kind', 'INDIVIDUAL')
      .attach('file', Buffer.alloc(50 * 1024 * 1024 + 10, 0x41), 'big.csv');
    expect([big.status, big.body.error.id]).toEqual([413, 'import.too_large']);
    expect(await h.services.prisma.importTask.count({ where: { applicationId: tenant.application.id } })).toBe(0);
  });

  it('reports row problems, executes the valid rows after approval, and gives a result file for every row', async () => {
    const { tenant, agent } = await openPlatform();
    await h.services.prisma.member.create({ data: { applicationId: tenant.application.id, bizUserId: 'EXISTING', type: 'INDIVIDUAL', displayName: '已有' } });
    const lines = [
      HEADER,
      row('OK1'),
      row('OK2', { name: '王〇明', card: '' }), // 〇 is a name character (and in GBK)
      row('OK1'), // duplicate in the file
      row('BAD1', { idType: '护照' }),
      row('BAD2', { id: '110105194912310021' }),
      row('EXISTING'),
      row('VER1', { card: cardNumber('6222040000') }), // the bank says the phone does not match
      row('FORMULA', { name: '"=HYPERLINK(""x"")"', card: '' }), // a CSV-quoted formula is no name: never a member
    ];
    const gbk = iconv.encode(lines.join('\r\n'), 'gbk');
    const up = await agent.post('/api/imports').field('kind', 'INDIVIDUAL').attach('file', gbk, '会员.csv');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ encoding: 'GBK', totalRows: 8, invalidRows: 5, validRows: 3, status: 'VALIDATED' });
    expect(up.body.invalid.map((r: { rowNo: number; problems: string[] }) => [r.rowNo, r.problems])).toEqual([
      [3, ['与第1行重复']],
      [4, ['证件类型仅支持身份证']],
      [5, ['身份证号码不正确（位数、出生日期或校验位有误）']],
      [6, ['会员编号已存在']],
      [8, ['姓名只能包含汉字、英文字母、空格和间隔号“·”']],
    ]);
    expect(up.body.preview[0].cells[3]).toMatch(/^\d{3}\*+\w{4}$/); // ID masked in the preview

    // The platform must attest its members' consent (PIPL) to submit.
    const unattested = await agent.post(`/api/imports/${up.body.id}/submission`);
    expect([unattested.status, unattested.body.error.id]).toEqual([400, 'request.invalid']);
    expect(unattested.body.error.fields[0].message).toContain('本平台确认已依法告知');
    const submitted = await agent.post(`/api/imports/${up.body.id}/submission`).send({ consentAttested: true });
    expect(submitted.body.status).toBe('IN_REVIEW');
    expect((await agent.post(`/api/imports/${up.body.id}/submission`).send({ consentAttested: true })).body.error.id).toBe('import.wrong_state');
    expect((await agent.get(`/api/imports/${up.body.id}/result`)).body.error.id).toBe('import.result_not_ready');
    const item = await pendingReviewFor(`${tenant.application.appNo}）会员批导`);
    const detail = await reviewer.get(`/api/reviews/${item.id}`);
    expect(detail.body.material).toMatchObject({ totalRows: 8, invalidRows: 5 });
    expect((await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: false })).body.error.id).toBe('request.invalid');
    await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '' });

    const done = await eventually(
      () => agent.get(`/api/imports/${up.body.id}`).then((r) => r.body),
      (b) => b.status === 'COMPLETED',
      'execution',
    );
    expect(done).toMatchObject({ processed: 8, succeeded: 2, failed: 6 });
    const created = await h.services.prisma.member.findMany({
      where: { applicationId: tenant.application.id, importTaskId: up.body.id },
      include: { bankCards: true },
    });
    expect(created.map((m) => [m.bizUserId, m.status, m.bankCards.length]).sort()).toEqual([
      ['OK1', 'NORMAL', 1],
      ['OK2', 'NORMAL', 0],
    ]);
    // Each carries the consent its platform attested on submitting the file (PIPL).
    const consents = await h.services.prisma.personalInfoConsent.findMany({ where: { importTaskId: up.body.id } });
    expect(consents.map((c) => [c.memberId, c.source, c.attestedById]).sort()).toEqual(created.map((m) => [m.id, 'PLATFORM_ATTESTED', tenant.user.id]).sort());
    // Imported members signed on paper: an offline 会员协议 each, with the accounts it opens (post-settlement).
    for (const m of created) {
      const agreements = await h.services.prisma.agreement.findMany({ where: { memberId: m.id } });
      expect(agreements.map((a) => [a.kind, a.signMethod, a.online])).toEqual([['MEMBER_SERVICE', 'PAPER', false]]);
      const accounts = await h.services.prisma.account.findMany({ where: { memberId: m.id }, orderBy: { kind: 'asc' } });
      expect(accounts.map((a) => [a.kind, a.agreementId])).toEqual([
        ['BOOKKEEPING', agreements[0]!.id],
        ['PENDING_SETTLEMENT', agreements[0]!.id],
      ]);
    }

    const result = await agent.get(`/api/imports/${up.body.id}/result`).buffer(true).parse(binaryBody);
    expect(result.headers['content-type']).toContain('gbk');
    const text = iconv
      .decode(result.body as Buffer, 'gbk')
      .split('\r\n')
      .filter(Boolean);
    expect(text[0]).toBe(`${HEADER},结果代码,结果说明`);
    expect(text).toHaveLength(9);
    expect(text.map((l) => l.split(',').slice(-2)[0])).toEqual([
      '结果代码',
      'SUCCESS',
      'SUCCESS',
      'INVALID',
      'INVALID',
      'INVALID',
      'INVALID',
      'VERIFICATION_FAILED',
      'INVALID',
    ]);
    expect(text[8]).toContain(`"'=HYPERLINK(""x"")"`); // the formula is neutralised in the result file

    const history = await reviewer.get('/api/reviews?state=DECIDED&pageSize=100');
    expect(history.body.items.find((i: { id: string }) => i.id === item.id)).toMatchObject({ status: 'APPROVED' });
  });

  it('a rejected task creates nothing; XLSX files come back as XLSX', async () => {
    const { tenant, agent } = await openPlatform();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('会员');
    sheet.addRow([...TEMPLATE_COLUMNS.INDIVIDUAL]);
    sheet.addRow(row('X1').split(','));
    const up = await agent
      .post('/api/imports')
      .field('kind', 'INDIVIDUAL')
      .attach('file', Buffer.from(await wb.xlsx.writeBuffer()), 'members.xlsx');
    expect(up.body).toMatchObject({ fileFormat: 'XLSX', totalRows: 1, invalidRows: 0 });
    await agent.post(`/api/imports/${up.body.id}/submission`).send({ consentAttested: true });
    const item = await pendingReviewFor(`${tenant.application.appNo}）会员批导`);
    await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: false, reason: '文件来源不明' });
    const rejected = await eventually(
      () => agent.get(`/api/imports/${up.body.id}`).then((r) => r.body),
      (b) => b.status === 'REJECTED',
      'rejection',
    );
    expect(rejected.review).toMatchObject({ status: 'REJECTED', reason: '文件来源不明' });
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id } })).toBe(0);
    expect((await agent.get(`/api/imports/${up.body.id}/result`)).body.error.id).toBe('import.result_not_ready');
  });

  it('templates download in both formats, with an example row that passes the checks', async () => {
    const tenant = await createTenant(h.services);
    const agent = await signIn(h.app, tenant.username, tenant.password);
    const csv = await agent.get('/api/imports/templates/ENTERPRISE');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.replace(/^\ufeff/, '').split('\r\n')[0]).toBe(TEMPLATE_COLUMNS.ENTERPRISE.join(','));
    const xlsx = await agent.get('/api/imports/templates/BANK_CARD?format=xlsx').buffer(true).parse(binaryBody);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, ...TEMPLATE_COLUMNS.BANK_CARD]);
    expect((await agent.get('/api/imports/templates/OTHER')).body.error.id).toBe('request.invalid');
  });

  it('imports enterprises, then binds cards to existing members (four-element checked)', async () => {
    const { tenant, agent } = await openPlatform();
    const run = async (kind: string, lines: string[]) => {
      const up = await agent
        .post('/api/imports')
        .field('kind', kind)
        .attach('file', Buffer.from(lines.join('\n')), `${kind}.csv`);
      expect(up.status).toBe(201);
      await agent.post(`/api/imports/${up.body.id}/submission`).send({ consentAttested: true });
      const item = await pendingReviewFor(`${tenant.application.appNo}）会员批导`);
      await reviewer.post(`/api/reviews/${item.id}/decision`).send({ approve: true, reason: '' });
      return eventually(
        () => agent.get(`/api/imports/${up.body.id}`).then((r) => r.body),
        (b) => b.status === 'COMPLETED',
        'execution',
      );
    };
    const id = idNumber();
    const enterprise = await run('ENTERPRISE', [
      TEMPLATE_COLUMNS.ENTERPRISE.join(','),
      `ENT1,深圳导入科技有限公司,91350100M000100Y43,深圳市南山区,软件开发,李法人,身份证,${id},${uniquePhone()}`,
      // 企业四要素: the sandbox vendor's register shows this one as 注销.
      `ENT2,深圳已注销贸易有限公司,91350100M000100Y43,深圳市南山区,贸易,周法人,身份证,${id},${uniquePhone()}`,
    ]);
    expect(enterprise).toMatchObject({ succeeded: 1, failed: 1 });
    const refused = await h.services.prisma.importRow.findFirstOrThrow({ where: { taskId: enterprise.id, rowNo: 2 } });
    expect(refused).toMatchObject({ resultCode: 'VERIFICATION_FAILED', resultMessage: '企业信息核验未通过：企业经营状态为「注销」，不能开户', memberId: null });
    expect(await h.services.prisma.member.count({ where: { applicationId: tenant.application.id, bizUserId: 'ENT2' } })).toBe(0);
    const ent = await h.services.prisma.member.findFirstOrThrow({ where: { applicationId: tenant.application.id, bizUserId: 'ENT1' } });
    expect(ent).toMatchObject({ type: 'ENTERPRISE', companyName: '深圳导入科技有限公司', status: 'NORMAL' });
    expect(ent.realNameVerifiedAt).not.toBeNull();
    expect(ent.legalPhoneMasked).toBe(ent.boundPhoneMasked);

    const phone = uniquePhone();
    const cards = await run('BANK_CARD', [
      TEMPLATE_COLUMNS.BANK_CARD.join(','),
      `ENT1,李法人,身份证,${id},${cardNumber('621700')},${phone}`,
      `ENT1,李法人,身份证,${id},${cardNumber('6222050000')},${phone}`,
      // Someone else's card (another ID, then another name): never bound (checked before the vendor is asked).
      `ENT1,李法人,身份证,${idNumber('19851111', '456')},${cardNumber('621701')},${phone}`,
      `ENT1,王旁人,身份证,${id},${cardNumber('621702')},${phone}`,
    ]);
    expect(cards).toMatchObject({ succeeded: 1, failed: 3 });
    expect(await h.services.prisma.bankCard.count({ where: { memberId: ent.id } })).toBe(1);
    const outcomes = await h.services.prisma.importRow.findMany({
      where: { task: { applicationId: tenant.application.id, kind: 'BANK_CARD' } },
      orderBy: { rowNo: 'asc' },
    });
    expect(outcomes.map((r) => r.resultCode)).toEqual(['SUCCESS', 'VERIFICATION_FAILED', 'HOLDER_MISMATCH', 'HOLDER_MISMATCH']);
    const noMember = await agent
      .post('/api/imports')
      .field('kind', 'BANK_CARD')
      .attach('file', Buffer.from([TEMPLATE_COLUMNS.BANK_CARD.join(','), `NOBODY,张三,身份证,${id},${cardNumber('621700')},${phone}`].join('\n')), 'c.csv');
    expect(noMember.body.invalid[0].problems).toEqual(['会员编号不存在']);
  });
});
