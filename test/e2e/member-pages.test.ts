import { randomUUID } from 'node:crypto';
/**
 * Browser tests (headless Chromium from Debian, driven by playwright-core):
 * a member stops onboarding after stage 1 and finishes on a new device; a
 * member signs a batch-sent link; a reviewer approves from the queue; an
 * operator finds an onboarding in the console and cancels it; a first login
 * forces the change of an initial password.
 */
import type { Server } from 'node:http';
import { hash } from '@node-rs/argon2';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { freePort } from '../../lib/dev-stack/local-stack';
import { createWebServer } from '../../web/server/server';
import { businessDay, dayStart, yuan } from '../../domain/ledger';
import { seedLedger } from '../../lib/dev-stack/ledger-seed';
import { DATA_OVERVIEW_SCHEDULE_ID } from '../../lib/adapters/schedules';
import { signRequest } from '../../scripts/examples/openapi-client';
import { depositAmountOf } from '../../activities/channel/corporate-account';
import { idNumber, cardNumber } from '../support/fixtures';
import {
  type Harness,
  createOnboardedMember,
  createTenant,
  eventually,
  outboxWait,
  signingTokenFor,
  smsCodeFor,
  startHarness,
  uniquePhone,
  testNow,
} from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the product in the browser', () => {
  let h: Harness;
  let api: Server;
  let web: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // The web process in front of the API, as `npm start` runs them.
    const [webPort, apiPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${webPort}`;
    h = await startHarness({ config: { PUBLIC_BASE_URL: base } });
    api = h.app.app.listen(apiPort, '127.0.0.1');
    web = createWebServer({ apiUrl: `http://127.0.0.1:${apiPort}` }).listen(webPort, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    // A server that never started (beforeAll failed) has nothing to close: waiting for it would hang jest.
    if (web) await new Promise((r) => web.close(r));
    if (api) await new Promise((r) => api.close(r));
    await h?.stop();
  });

  // What the browser did during the current test, told when it fails: a timeout
  // alone says what was missing, not where the page was or what the API answered.
  const devices: BrowserContext[] = [];
  const trail: string[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
    trail.length = 0;
  });

  /** A test whose failure carries the trail of pages, errors and refused requests. */
  function browserTest(name: string, body: () => Promise<void>) {
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        const pages = devices.flatMap((d) => d.pages());
        const shots = await Promise.all(
          pages.map(async (p, i) => {
            const file = `.data/e2e-failures/${name.slice(0, 40).replace(/[^\p{L}\p{N}]+/gu, '-')}-${i}.png`;
            await p.screenshot({ path: file, fullPage: true }).catch(() => undefined);
            return `  open: ${p.url()} (screenshot ${file})`;
          }),
        );
        const told = `\n\nWhat the browser saw:\n${[...trail, ...shots].join('\n')}`;
        // jest prints the stack, which was written when the error was made
        if (e instanceof Error) ((e.message += told), (e.stack = `${e.stack ?? ''}${told}`));
        throw e;
      }
    });
  }

  /** A fresh browser context: its own cookies and storage, as another device would have. */
  async function device(mobile: boolean, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
    const context = await browser.newContext(
      // Reduced motion: a dialog's buttons stand still from the moment it opens (see web/src/main.tsx).
      {
        locale: 'zh-CN',
        reducedMotion: 'reduce',
        ...(mobile ? { viewport: { width: 390, height: 844 }, isMobile: true } : { viewport }),
      },
    );
    devices.push(context);
    // A shifted test run (TEST_NOW) shows the pages the app's own instant; time then flows as usual.
    if (process.env.TEST_NOW) await context.clock.install({ time: testNow() });
    // Where each press and click landed: a click Playwright made that the page never handled shows here.
    await context.addInitScript(`
      const name = (t) => t && t.tagName ? t.tagName.toLowerCase() + ' "' + (t.textContent || '').trim().slice(0, 20) + '"' : String(t);
      for (const type of ['mousedown', 'click'])
        document.addEventListener(type, (e) => console.debug(type + ' on ' + name(e.target)), true);
    `);
    const at = () => new Date().toISOString().slice(11, 23);
    context.on('page', (page) => {
      page.on('framenavigated', (frame) => frame === page.mainFrame() && trail.push(`${at()} → ${frame.url()}`));
      page.on('pageerror', (error) => trail.push(`${at()} page error: ${error.message}`));
      page.on('console', (m) => ['error', 'debug'].includes(m.type()) && trail.push(`${at()} console: ${m.text()}`));
      page.on('response', (r) => {
        const method = r.request().method();
        if (r.status() >= 400 || (method !== 'GET' && r.url().includes('/api/'))) trail.push(`${at()} ${r.status()} ${method} ${r.url()}`);
      });
      page.on('requestfailed', (r) => trail.push(`${at()} failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
    });
    return context;
  }

  /** A portal user signed in on a desktop browser of their own. */
  async function login(username: string, password: string, viewport?: { width: number; height: number }) {
    const page = await (await device(false, viewport)).newPage();
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.getByRole('button', { name: '登录' }).click();
    // Signed in once the portal has left the login page for the role's home.
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByTestId('current-user').waitFor();
    return page;
  }

  browserTest('stops after information collection, resumes on a new device after an SMS check, and completes', async () => {
    const tenant = await createTenant(h.services);

    // The platform adds a member in the portal and gets the link.
    const portal = await login(tenant.username, tenant.password);
    await portal.getByRole('menuitem', { name: '个人会员查询' }).click();
    await portal.getByRole('button', { name: '新增会员' }).click();
    await portal.fill('#bizUserId', 'E2E-001');
    await portal.fill('#name', '周杰');
    await portal.getByRole('button', { name: '生成开户链接' }).click();
    const url = (await portal.getByTestId('onboarding-link').textContent())!.trim();
    expect(url.startsWith(`${base}/onboard/`)).toBe(true);

    // First device: information collection only, then the member leaves.
    const phone = uniquePhone();
    const first = await device(true);
    const page1 = await first.newPage();
    await page1.goto(url);
    await page1.getByText('实名信息采集').waitFor();
    await page1.fill('#name', '周杰');
    await page1.fill('#idNumber', idNumber('19920615', '321'));
    await page1.fill('#cardNumber', cardNumber('621226'));
    await page1.fill('#phone', phone);
    // PIPL: the notice is shown before anything is collected, and the separate consent is the member's to tick.
    await page1.getByTestId('personal-information-notice').getByText('个人信息收集告知', { exact: true }).waitFor();
    await page1.getByRole('button', { name: '提交认证' }).click();
    await page1.getByText('请阅读《个人信息收集告知》并勾选敏感个人信息处理授权').waitFor();
    await page1.getByText(/^本人已阅读《个人信息收集告知》，单独同意/).click();
    await page1.getByRole('button', { name: '提交认证' }).click();
    await page1.getByText('手机号绑定').waitFor();
    const consent = await h.services.prisma.personalInfoConsent.findFirstOrThrow({
      where: { member: { bizUserId: 'E2E-001', applicationId: tenant.application.id } },
    });
    expect([consent.source, consent.version, consent.userAgent]).toEqual(['MEMBER_PAGE', '2026-12', expect.stringContaining('Chrome')]);
    await first.close();

    // A new device: nothing is shown until the SMS check passes.
    const second = await device(true);
    const page2 = await second.newPage();
    await page2.goto(url);
    await page2.getByText('新设备验证').waitFor();
    expect(await page2.getByTestId('entered').count()).toBe(0);
    let before = new Date();
    await page2.getByText('获取验证码').click();
    await page2.fill('#code', await smsCodeFor(h.config, phone, before));
    await page2.getByRole('button', { name: '验证并继续' }).click();
    await page2.getByText('手机号绑定').waitFor();
    await expect(page2.getByTestId('entered').textContent()).resolves.toContain('周杰');

    // Phone binding with the bank-reserved phone, then signing (its code is sent on binding).
    before = new Date();
    await page2.getByText('获取验证码').click();
    await page2.getByText(/验证码已发送至/).waitFor();
    await page2.fill('#code', await smsCodeFor(h.config, phone, before));
    before = new Date();
    await page2.getByRole('button', { name: '绑定手机' }).click();
    await page2.getByText('云商通会员服务协议').first().waitFor();
    await page2.fill('#code', await smsCodeFor(h.config, phone, before));
    await page2.getByRole('button', { name: '同意协议并签署' }).click();
    await page2.getByText('开户完成').first().waitFor();

    // The platform sees the member as normal, with the stage history.
    await portal.goto(`${base}/members/individual`);
    await portal.getByRole('link', { name: '详情' }).first().click();
    await expect(portal.getByTestId('member-status').textContent()).resolves.toBe('正常');
    await expect(portal.getByTestId('onboarding-stage-1').textContent()).resolves.toBe('开户完成');
    // 个人信息授权: the member's consent, and the exact text it was given to.
    await portal.getByText('文本指纹一致').waitFor();
    await portal.getByRole('button', { name: '2026-12' }).click();
    await portal
      .getByTestId('consent-text')
      .getByText(/^本人已阅读《个人信息收集告知》，单独同意/)
      .waitFor();
  });

  browserTest('a verification vendor outage: the member sees 认证中, the platform 认证中, operators an alert; the page moves on by itself', async () => {
    const tenant = await createTenant(h.services);
    const portal = await login(tenant.username, tenant.password);
    await portal.getByRole('menuitem', { name: '个人会员查询' }).click();
    await portal.getByRole('button', { name: '新增会员' }).click();
    await portal.fill('#bizUserId', 'E2E-VENDOR');
    await portal.fill('#name', '秦岚');
    await portal.getByRole('button', { name: '生成开户链接' }).click();
    const url = (await portal.getByTestId('onboarding-link').textContent())!.trim();

    const card = cardNumber('621483');
    // Only this card's calls fail: the other tests share the sandbox vendor.
    const outage = (on: boolean) =>
      fetch(`${h.config.VERIFIER_URL}/sandbox/outage`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ on, cards: [card] }),
      });
    await outage(true);
    try {
      const page = await (await device(true)).newPage();
      await page.goto(url);
      await page.fill('#name', '秦岚');
      await page.fill('#idNumber', idNumber('19880301', '452'));
      await page.fill('#cardNumber', card);
      await page.fill('#phone', uniquePhone());
      await page.getByText(/^本人已阅读《个人信息收集告知》，单独同意/).click();
      await page.getByRole('button', { name: '提交认证' }).click();
      await page.getByText('认证中', { exact: true }).waitFor();
      await page.getByText(/等待期间开户链接不会过期/).waitFor();

      await portal.goto(`${base}/members/individual`);
      await portal
        .getByRole('row', { name: /E2E-VENDOR/ })
        .getByText('认证中')
        .waitFor();

      // Past the alert threshold (the wait backdated instead of waited for).
      await h.services.sql.query(
        `UPDATE "OnboardingSession" s SET "verificationPendingSince" = "verificationPendingSince" - interval '30 minutes'
           FROM "Member" m WHERE m.id = s."memberId" AND m."bizUserId" = 'E2E-VENDOR' AND m."applicationId" = $1::uuid`,
        [tenant.application.id],
      );
      const op = await createTenant(h.services, 'OPERATOR');
      const console = await login(op.username, op.password);
      await console.goto(`${base}/ops/workflows`);
      await expect(console.getByTestId('verification-outage').textContent()).resolves.toMatch(/认证服务异常：\d+位会员的实名认证已等待\d+分钟/);

      // The vendor is back: nobody submits again, the page moves on when the flow's retry passes.
      await outage(false);
      await page.getByText('手机号绑定').waitFor({ timeout: 30_000 });
    } finally {
      await outage(false);
    }
  });

  browserTest('the platform binds an enterprise’s 对公户 by small deposit on 会员详情: a wrong amount costs a try, the right one binds it', async () => {
    const tenant = await createTenant(h.services);
    const company = await h.services.prisma.member.create({
      data: {
        applicationId: tenant.application.id,
        bizUserId: 'E2E-CORP',
        type: 'ENTERPRISE',
        status: 'NORMAL',
        displayName: '深圳市页面对公科技有限公司',
        companyName: '深圳市页面对公科技有限公司',
        creditCode: '91440300MA5F23456T',
        realNameVerifiedAt: testNow(),
      },
    });
    const portal = await login(tenant.username, tenant.password);
    await portal.goto(`${base}/members/detail/${company.id}`);
    await portal.getByText('对公户绑定').waitFor();
    await portal.fill('#accountNo', '4000023409200765432');
    await portal.fill('#bankName', '中国工商银行深圳南山支行');
    await portal.getByRole('button', { name: '小额打款验证' }).click();
    await portal.getByText('确认打款金额', { exact: true }).waitFor({ timeout: 20_000 });

    const { depositNo, id } = await h.services.prisma.corporateAccountVerification.findFirstOrThrow({ where: { memberId: company.id } });
    const received = depositAmountOf(h.services.crypto, depositNo);
    const typed = (fen: number) => `0.${String(fen).padStart(2, '0')}`;
    // The sandbox user reads the amount where the enterprise would: the (sandbox) bank statement, linked beside the form.
    const [statement] = await Promise.all([portal.waitForEvent('popup'), portal.getByRole('link', { name: '沙箱对公户入账流水' }).click()]);
    await statement.getByRole('row').filter({ hasText: depositNo }).getByText(typed(received), { exact: true }).waitFor();
    await statement.close();
    await portal.getByText('确认打款金额', { exact: true }).click();
    await portal.fill('#deposit-amount', typed(received === 1 ? 2 : received - 1));
    await portal.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await portal.getByText('打款金额不正确，还可尝试2次').waitFor();
    await portal.fill('#deposit-amount', typed(received));
    await portal.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await portal.getByText('金额正确，对公户已绑定').waitFor();
    await portal.getByRole('cell', { name: '已验证' }).waitFor();
    await portal.getByRole('cell', { name: '对公户', exact: true }).waitFor();
    expect((await h.services.prisma.corporateAccountVerification.findUniqueOrThrow({ where: { id } })).status).toBe('VERIFIED');
  });

  browserTest('a headquarters operator adds a reviewer in 人员管理, who signs in with the SMS password; disabling ends the reviewer’s session', async () => {
    const op = await createTenant(h.services, 'OPERATOR');
    const console = await login(op.username, op.password);
    await console.getByRole('menuitem', { name: '人员管理' }).click();
    await console.getByRole('button', { name: '新增人员' }).click();
    const username = `e2e.rev.${Date.now().toString(36)}`;
    const phone = uniquePhone();
    await console.fill('#username', username);
    await console.fill('#displayName', '页面审核员');
    await console.locator('#role').click();
    await console.locator('.ant-select-item-option[title="审核人员"]').click();
    await console.fill('#phone', phone);
    const sentAfter = new Date();
    await console.getByRole('button', { name: '新增并发送初始密码' }).click();
    await console.getByRole('row', { name: new RegExp(username.replace(/\./g, '\\.')) }).waitFor();

    const sms = await outboxWait(h.config, (m) => m.to === `+86${phone}` && new Date(m.receivedAt) >= sentAfter);
    const password = /初始密码：(\S+?)，/.exec(sms.body)![1]!;
    const reviewer = await (await device(false)).newPage();
    await reviewer.goto(`${base}/login`);
    await reviewer.fill('#username', username);
    await reviewer.fill('#password', password);
    await reviewer.getByRole('button', { name: '登录' }).click();
    await reviewer.getByText('初始密码须修改后才能使用其他功能').waitFor();

    await console
      .getByRole('row', { name: new RegExp(username.replace(/\./g, '\\.')) })
      .getByText('停用')
      .click();
    await console.fill('#disable-reason', '人员调岗');
    await console.getByRole('button', { name: '确认停用' }).click();
    await console.getByText('已停用，其登录会话已结束').waitFor();
    const me = await reviewer.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });

  browserTest('a 分公司业务人员 lands on 应用开通与上线, files migrations and has no review queue', async () => {
    const b = await createTenant(h.services, 'BRANCH_USER');
    const page = await login(b.username, b.password);
    expect(new URL(page.url()).pathname).toBe('/app-onboardings');
    await page.getByRole('menuitem', { name: '会员迁移申请' }).click();
    await page.getByRole('button', { name: '发起迁移申请' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '审核队列' }).count()).toBe(0);
    await page.getByText('分公司业务', { exact: true }).waitFor();
  });

  browserTest('the platform batch-sends a signing link in 收单商户管理; the member signs it on a phone', async () => {
    const tenant = await createTenant(h.services);
    const member = await createOnboardedMember(h.services, tenant.application.id, { name: '吴晓' });
    await createOnboardedMember(h.services, tenant.application.id, { phone: null, name: '郑无手机' });

    const portal = await login(tenant.username, tenant.password);
    await portal.getByRole('menuitem', { name: '收单商户管理' }).click();
    await portal.getByText('吴晓').waitFor();
    const before = new Date();
    await portal.getByRole('button', { name: /全部筛选结果发送/ }).click();
    await portal.getByRole('button', { name: '确认发送' }).click();
    await portal.getByText('发送完成').waitFor({ timeout: 30_000 });
    const result = (await portal.getByTestId('batch-result').textContent())!;
    expect(result).toContain('成功发送 1 个，跳过 1 个');
    expect(result).toContain('会员未绑定手机号');

    // The member opens the SMS link on a phone, asks for a code and signs.
    const token = await signingTokenFor(h.config, member.phone!, before);
    const phone = await (await device(true)).newPage();
    await phone.goto(`${base}/sign/${token}`);
    await phone.getByText('客户委托结算授权函').first().waitFor();
    const codeAt = new Date();
    await phone.getByText('获取验证码').click();
    await phone.getByText(/验证码已发送至/).waitFor();
    await phone.fill('#code', await smsCodeFor(h.config, member.phone!, codeAt));
    await phone.getByRole('button', { name: '同意并签署' }).click();
    await phone.getByText('签约成功').waitFor();
    await phone.reload();
    await phone.getByText('已完成签约').first().waitFor();

    // The platform sees the link signed and the agreement listed with a download.
    await portal.goto(`${base}/agreements/signing-links`);
    await portal.getByText('已签约').first().waitFor();
    await portal.goto(`${base}/agreements/payment-account`);
    await portal.getByRole('link', { name: '下载协议' }).waitFor();
  });

  browserTest('the platform requests the import window; a reviewer approves it from the queue; the window opens', async () => {
    const tenant = await createTenant(h.services);
    const r = await createTenant(h.services, 'REVIEWER');
    const portal = await login(tenant.username, tenant.password);
    await portal.getByRole('menuitem', { name: '会员批导' }).click();
    await portal.getByRole('button', { name: '申请开放批导入口' }).click();
    await portal.fill('#reason', '存量会员导入');
    await portal.getByRole('button', { name: '提交申请' }).click();
    await portal.getByText('开放申请已提交，等待分公司审核').waitFor();

    const review = await login(r.username, r.password);
    await review.getByText('审核队列').first().waitFor();
    await review.getByRole('link', { name: new RegExp(`${tenant.application.appNo}.*申请开放会员批导入口`) }).click();
    await review.getByText('存量会员导入').waitFor();
    await review.getByRole('button', { name: '提交审核结果' }).click();
    await review.waitForURL((url) => url.pathname === '/reviews'); // back to the queue once decided
    await review.getByRole('tab', { name: '审核历史' }).click();
    await review.getByRole('link', { name: new RegExp(`${tenant.application.appNo}.*申请开放会员批导入口`) }).waitFor();

    await portal.reload();
    await portal.getByText('入口已开放').waitFor();
    await portal.getByText('距自动关闭').waitFor();
  });

  browserTest("an operator finds a member's onboarding in 流程监控, reads its detail and cancels it with a reason", async () => {
    const tenant = await createTenant(h.services);
    const platform = await login(tenant.username, tenant.password);
    await platform.getByRole('menuitem', { name: '个人会员查询' }).click();
    await platform.getByRole('button', { name: '新增会员' }).click();
    await platform.fill('#bizUserId', 'OPS-E2E-1');
    await platform.fill('#name', '钱运维');
    await platform.getByRole('button', { name: '生成开户链接' }).click();
    await platform.getByTestId('onboarding-link').waitFor();

    const op = await createTenant(h.services, 'OPERATOR');
    // A laptop's screen: the operator reads a flow's state without scrolling sideways.
    const ops = await login(op.username, op.password, { width: 1366, height: 768 });
    await ops.getByRole('menuitem', { name: '流程监控' }).click();
    await ops.getByPlaceholder('会员名称 / 会员编号 / 手机号 / 流程编号').fill('钱运维');
    await ops.getByPlaceholder('会员名称 / 会员编号 / 手机号 / 流程编号').press('Enter');
    const row = ops.locator('tr', { hasText: 'OPS-E2E-1' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('信息采集');
    const scroller = ops.locator('.ant-table-content').first();
    expect(await scroller.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const actions = (await ops.getByRole('columnheader', { name: '操作' }).boundingBox())!;
    expect(actions.x + actions.width).toBeLessThanOrEqual(1366);
    for (const name of ['流程 / 对象', '当前环节', '等待', '截止 / 剩余', '最近错误']) {
      const header = (await ops.getByRole('columnheader', { name, exact: true }).boundingBox())!;
      expect([name, header.x + header.width <= actions.x + 1]).toEqual([name, true]);
    }
    // Stage, who it waits for, deadline and time left are in the row itself.
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 4).join(' ')).toMatch(/钱.*OPS-E2E-1.*信息采集.*会员.*\d{2}-\d{2} \d{2}:\d{2}.*天/);
    await row.getByText('详情').click();
    await ops.getByText('当前环节：信息采集').waitFor();
    await ops.getByRole('dialog').getByText('取消', { exact: true }).click();
    await ops.getByPlaceholder('请填写操作原因（将记入审计日志）').fill('会员已放弃开户');
    await ops.getByRole('button', { name: '确认取消' }).click();
    await ops.getByText('已取消').first().waitFor();
    const audit = await h.services.prisma.auditLog.findFirst({ where: { action: 'workflow.cancel', actorId: op.user.id } });
    expect(audit?.detail).toMatchObject({ reason: '会员已放弃开户' });
  });

  browserTest('a test environment login with its initial password must change it at first login before anything else, and says 测试环境', async () => {
    const t = await createTenant(h.services);
    // As 自动开通配置 leaves a new customer's test environment (seed 003 §5.3.1).
    await h.services.prisma.application.update({ where: { id: t.application.id }, data: { environment: 'TEST' } });
    await h.services.prisma.user.update({ where: { id: t.user.id }, data: { mustChangePassword: true } });
    const page = await login(t.username, t.password);
    await page.getByText('首次登录：请修改初始密码').waitFor();
    // Other pages lead back here until the password is changed.
    await page.goto(`${base}/members/individual`);
    await page.getByText('首次登录：请修改初始密码').waitFor();
    await page.fill('#currentPassword', t.password);
    await page.fill('#newPassword', 'short');
    await page.getByText('密码至少8位').waitFor();
    await page.fill('#newPassword', 'Changed#2026');
    await page.fill('#confirm', 'Changed#2026');
    await page.getByRole('button', { name: '确认修改' }).click();
    await page.waitForURL((url) => url.pathname === '/members/individual'); // changed: on to the role's home
    await page.getByRole('menuitem', { name: '个人会员查询' }).click();
    await page.getByRole('button', { name: '新增会员' }).waitFor();
    const user = await h.services.prisma.user.findUniqueOrThrow({ where: { id: t.user.id } });
    expect(user.mustChangePassword).toBe(false);
    // The header tells the platform it is testing: nothing done here reaches production.
    expect(await page.getByTestId('environment').textContent()).toBe('测试环境');
    const production = await createTenant(h.services);
    const productionPage = await login(production.username, production.password);
    expect(await productionPage.getByTestId('environment').count()).toBe(0);
  });

  browserTest('支付解决方案 → 小程序B2B门店助手参数: the payment merchant from the channel, an appkey refused, then configured', async () => {
    const t = await createTenant(h.services);
    // The merchant the channel opens at 自动开通配置.
    const { merchantNo } = await h.services.b2bStoreAssistant.open(randomUUID());
    await h.services.prisma.application.update({ where: { id: t.application.id }, data: { b2bMerchantNo: merchantNo } });
    const page = await login(t.username, t.password);
    await page.getByRole('menuitem', { name: '支付解决方案' }).click();
    await page.getByRole('menuitem', { name: '小程序B2B门店助手参数' }).click();
    const row = page.getByRole('row', { name: new RegExp(merchantNo) });
    await row.getByText('未配置').waitFor();
    await row.getByRole('button', { name: '配置appkey' }).click();
    await page.fill('#appKey', 'not-a-key');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('appkey 须为32位字母或数字').waitFor();
    await page.fill('#appKey', 'A1b2C3d4E5f6G7h8J9k0L1m2N3p4Q5r6');
    await page.getByRole('button', { name: '提交' }).click();
    await row.getByText('已配置 A1b2************************Q5r6').waitFor();
    expect(await row.getByRole('button', { name: '修改appkey' }).count()).toBe(1);
  });

  browserTest('支付解决方案 → 微企付: the balance now, the D-1 trade file by default, the last month of end-of-day balances', async () => {
    const t = await createTenant(h.services);
    const merchantNo = await h.services.weiqifu.open(randomUUID());
    await h.services.prisma.application.update({ where: { id: t.application.id }, data: { weiqifuMerchantNo: merchantNo } });
    const page = await login(t.username, t.password);
    await page.getByRole('menuitem', { name: '支付解决方案' }).click();
    await page.getByRole('menuitem', { name: '微企付' }).click();
    await page.getByText(merchantNo).waitFor();
    expect(await page.getByTestId('weiqifu-available').textContent()).toMatch(/^-?\d+\.\d{2}$/);
    // The defaults are the server's days (its clock), not the browser's.
    const { defaults } = await page.evaluate(
      async () => (await fetch('/api/payment-solutions/weiqifu')).json() as Promise<{ defaults: Record<string, string> }>,
    );
    await page.getByRole('tab', { name: '文件下载' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('下载交易对账单').click()]);
    expect(download.suggestedFilename()).toBe(`微企付交易对账单-${merchantNo}-${defaults.fileDay}.csv`);
    await page.getByRole('tab', { name: '日终余额查询' }).click();
    await page.getByRole('cell', { name: defaults.to }).waitFor();
    await page.getByRole('cell', { name: defaults.from }).waitFor();
  });

  browserTest("数据概览 shows today's figures and draws one trend line per chosen type, from the scheduled refresh", async () => {
    const t = await createTenant(h.services);
    for (let i = 0; i < 3; i++) await createOnboardedMember(h.services, t.application.id);
    await seedLedger(h.services, { appNo: t.application.appNo, days: 2, ordersPerDay: 30 });
    await h.temporal.schedule.getHandle(DATA_OVERVIEW_SCHEDULE_ID).trigger();
    await eventually(
      () => h.services.prisma.dailyTradeStat.count({ where: { applicationId: t.application.id } }),
      (n) => n > 0,
      'the refreshed figures',
    );
    const consumptionToday = await h.services.prisma.dailyTradeStat.findFirst({
      where: { applicationId: t.application.id, type: 'CONSUMPTION', day: businessDay(testNow()) },
    });

    const page = await login(t.username, t.password);
    await page.getByRole('menuitem', { name: '应用中心' }).click();
    const trendsAnswer = page.waitForResponse((r) => r.url().includes('/api/application-centre/trends?'));
    await page.getByRole('menuitem', { name: '数据概览' }).click();
    await page
      .getByTestId('today-CONSUMPTION')
      .getByText(String(consumptionToday?.count ?? 0), { exact: true })
      .first()
      .waitFor();
    const trend = (await trendsAnswer.then((r) => r.json())) as { days: string[]; series: { label: string; points: { count: number }[] }[] };
    const [first, lastDay] = [trend.days[0]!.slice(5), trend.days.at(-1)!.slice(5)];
    for (const chart of ['chart-count', 'chart-amount', 'chart-commission']) {
      // The legend names the default choice: 消费 and 充值.
      for (const name of ['消费', '充值']) await page.getByTestId(chart).locator('svg text', { hasText: name }).first().waitFor();
    }
    const count = page.getByTestId('chart-count');
    // The day axis: the first and the last of the 30 days labelled, no two labels overlapping.
    const labels = await count.locator('svg text').evaluateAll((els) =>
      els
        .filter((e) => /^\d{2}-\d{2}$/.test(e.textContent ?? ''))
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { text: e.textContent!, left: r.left, right: r.right };
        })
        .sort((a, b) => a.left - b.left),
    );
    expect(trend.days).toHaveLength(30);
    expect([labels[0]?.text, labels.at(-1)?.text]).toEqual([first, lastDay]);
    for (let i = 1; i < labels.length; i++) expect(labels[i]!.left).toBeGreaterThanOrEqual(labels[i - 1]!.right);
    // Hovering the last day shows each series' value that day.
    // The last day sits on the plot's right edge (the chart's grid leaves 24 px beside it).
    const hover = async () => {
      await count.scrollIntoViewIfNeeded();
      const box = (await count.locator('svg').first().boundingBox())!;
      await page.mouse.move(box.x + 5, box.y + 5);
      await page.mouse.move(box.x + box.width - 26, box.y + box.height / 2, { steps: 5 });
    };
    // echarts' tooltip: the floating box it adds beside the chart, while it is shown.
    const tooltip = count.locator('div[style*="z-index: 9999999"]');
    const tooltipText = async () => {
      await hover();
      await new Promise((r) => setTimeout(r, 300));
      if ((await tooltip.count()) === 0) return '';
      const style = (await tooltip.first().getAttribute('style')) ?? '';
      return style.includes('visibility: hidden') ? '' : ((await tooltip.first().textContent()) ?? '');
    };
    const consumptionLast = trend.series.find((x) => x.label === '消费')!.points.at(-1)!.count;
    const shown = await eventually(tooltipText, (text) => text.startsWith(lastDay) && text.includes('充值'), 'the tooltip of the last day');
    expect(shown).toContain(`消费${consumptionLast.toLocaleString('zh-CN')}`);
    // The legend turns a series off: its value leaves the tooltip.
    await count.locator('svg text', { hasText: '充值' }).first().click();
    await eventually(tooltipText, (text) => text.includes('消费') && !text.includes('充值'), 'the tooltip without 充值');
  });

  browserTest('证书管理: a key pair made in the browser, filled in with one click and saved, signs open-API calls', async () => {
    const t = await createTenant(h.services);
    const page = await login(t.username, t.password);
    await page.getByRole('menuitem', { name: '应用中心' }).click();
    await page.getByRole('menuitem', { name: '证书管理' }).click();
    await page.getByRole('button', { name: '生成秘钥对' }).click();
    const privateKey = (await page.getByTestId('private-key').textContent())!.trim();
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    const publicKey = (await page.getByTestId('public-key').textContent())!.trim();
    await page.getByRole('button', { name: '一键回填' }).click();
    await page.getByRole('dialog').getByText('关闭', { exact: true }).click();
    await page.getByRole('button', { name: '保存' }).click();
    // The saved key shows as the current one (the toast saying so is gone after 3 s).
    await page.getByTestId('current-public-key').getByText(publicKey.slice(0, 16)).waitFor();
    const signed = signRequest({ appNo: t.application.appNo, privateKey, method: 'GET', path: '/openapi/v1/application' });
    const res = await fetch(`${base}/openapi/v1/application`, { headers: signed.headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { appNo: string }).appNo).toBe(t.application.appNo);
  });

  browserTest('服务商密钥 and 服务商对接配置: the provider saves its key, headquarters opens the mode, the provider signs for its application', async () => {
    const t = await createTenant(h.services);
    const username = `sp-${t.application.appNo}`;
    await h.services.prisma.user.create({
      data: {
        username,
        passwordHash: await hash('Test@2026'),
        role: 'SERVICE_PROVIDER',
        displayName: '服务商',
        serviceProviderId: t.application.serviceProviderId,
      },
    });
    const page = await login(username, 'Test@2026');
    await page.getByRole('menuitem', { name: '服务商密钥' }).click();
    await page.getByText('未开通：保存服务商公钥后').waitFor();
    await page.getByRole('button', { name: '生成秘钥对' }).click();
    const privateKey = (await page.getByTestId('private-key').textContent())!.trim();
    const publicKey = (await page.getByTestId('public-key').textContent())!.trim();
    await page.getByRole('button', { name: '一键回填' }).click();
    await page.getByRole('dialog').getByText('关闭', { exact: true }).click();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('current-public-key').getByText(publicKey.slice(0, 16)).waitFor();
    const call = () => {
      const signed = signRequest({
        appNo: t.application.appNo,
        privateKey,
        method: 'GET',
        path: '/openapi/v1/application',
        provider: t.application.serviceProviderId,
      });
      return fetch(`${base}/openapi/v1/application`, { headers: signed.headers });
    };
    expect((await call()).status).toBe(403);

    const operator = await createTenant(h.services, 'OPERATOR');
    const ops = await login(operator.username, operator.password);
    await ops.getByRole('menuitem', { name: '服务商对接配置' }).click();
    const row = ops
      .getByRole('row')
      .filter({ hasText: (await h.services.prisma.serviceProvider.findUniqueOrThrow({ where: { id: t.application.serviceProviderId } })).name });
    await row.getByText('开通', { exact: true }).click();
    await row.getByText(/已开通/).waitFor();
    const res = await call();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { appNo: string }).appNo).toBe(t.application.appNo);
  });

  browserTest('会员门户: a member proves its bound phone, sets up username login, and reads its information and movements', async () => {
    const t = await createTenant(h.services);
    const phone = uniquePhone();
    const member = await createOnboardedMember(h.services, t.application.id, { phone, name: '门户会员' });
    // Another member of the same phone already logs in with it: the phone option is not offered.
    const sibling = await createOnboardedMember(h.services, t.application.id, { phone, name: '同号会员' });
    await h.services.prisma.member.update({ where: { id: sibling.id }, data: { realNameVerifiedAt: testNow() } });
    await h.services.prisma.user.create({
      data: {
        username: `member-${sibling.id}`,
        passwordHash: 'x',
        role: 'MEMBER',
        displayName: '同号会员',
        applicationId: t.application.id,
        memberId: sibling.id,
        loginPhoneDigest: h.services.crypto.digest('phone', phone),
      },
    });
    await createOnboardedMember(h.services, t.application.id);
    await h.services.prisma.member.update({ where: { id: member.id }, data: { realNameVerifiedAt: new Date() } });
    await seedLedger(h.services, { appNo: t.application.appNo, days: 3, ordersPerDay: 20 });
    const pending = await h.services.prisma.account.findFirstOrThrow({ where: { memberId: member.id, kind: 'PENDING_SETTLEMENT' } });

    const page = await (await device(false)).newPage();
    await page.goto(`${base}/login`);
    await page.getByText('会员门户（首次登录 / 手机号登录）').click();
    await page.getByRole('tab', { name: '首次登录' }).click();
    await page.fill('#firstLogin_phone', phone);
    const sentAfter = new Date();
    await page.locator('#firstLogin').getByRole('button', { name: '获取验证码' }).click();
    await page.fill('#firstLogin_code', await smsCodeFor(h.config, phone, sentAfter));
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByText('门户会员').click();
    await page.getByText('已开通').waitFor(); // 同号会员, shown but not selectable
    expect(await page.getByText('绑定手机号登录').count()).toBe(0);
    const username = `e2e${member.id.slice(0, 6)}`;
    await page.fill('#setup_username', username);
    await page.fill('#setup_password', 'Portal#2026');
    await page.getByRole('button', { name: '开通', exact: true }).click();
    // 2.2.3: the choice is confirmed, then the member signs in on the login page with it.
    await page.getByTestId('setup-confirmation').getByText(`登录方式：用户名登录（${username}）`).waitFor();
    await page.getByRole('button', { name: '确认开通' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.fill('#username', username);
    await page.fill('#password', 'Portal#2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('我的信息').first().waitFor();
    expect((await page.getByTestId('pending-balance').textContent())!.trim()).toBe(yuan(pending.balanceFen));
    await page.getByText('未设置或平台方发起').waitFor();
    const listed = page.waitForResponse((r) => r.url().includes('/api/member-portal/accounts/') && r.url().includes('/movements?'));
    await page.getByRole('menuitem', { name: '账户明细' }).click();
    await page.getByText('导出（单次最多10000条）').waitFor();
    const body = (await (await listed).json()) as { total: number };
    // The page lists this month's movements of the payment account, as many as the database has.
    const own = await h.services.prisma.movement.count({
      where: { account: { memberId: member.id, kind: 'PAYMENT' }, bookedAt: { gte: dayStart(`${businessDay(testNow()).slice(0, 8)}01`) } },
    });
    expect(body.total).toBe(own);
    // The table shows the first page of them once rendered.
    const rows = page.locator('.ant-table-row');
    const shown = await eventually(
      () => rows.count(),
      (n) => n === Math.min(own, 20),
      'the movements table',
      10_000,
    ).catch(() => rows.count());
    expect(shown).toBe(Math.min(own, 20));
  });
});
