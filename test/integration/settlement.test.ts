/**
 * 账后结算: T1 settles what a member's 待结算户 held at the end of the day before to its 支付账户,
 * once per member and day; a 结算 order can also be placed by the platform. Days far ahead are
 * used so that no other test's movements (nor the 00:30 schedule) meet these.
 */
import { businessDay, dayStart } from '../../domain/ledger';
import { DAILY_SETTLEMENT_SCHEDULE_ID } from '../../lib/adapters/schedules';
import { openMemberAccounts } from '../../lib/business/accounts';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { settleForDay } from '../../lib/business/settlement';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { createOnboardedMember, createTenant, fileHarness, testNow } from '../support/harness';

describe('账后结算', () => {
  const h = fileHarness();

  it('runs by a schedule at 00:30 Shanghai time', async () => {
    const d = await h.temporal.schedule.getHandle(DAILY_SETTLEMENT_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailySettlement' });
  });

  it('T1 settles what was held at the end of the day before, once; MANUAL applications and members without a 支付账户 are left alone', async () => {
    const { sql, prisma } = h.services;
    const setUp = async (mode: 'T1' | 'MANUAL') => {
      const t = await createTenant(h.services);
      await prisma.application.update({ where: { id: t.application.id }, data: { settlementMode: mode } });
      const [payer, shop, unsigned] = [
        await createOnboardedMember(h.services, t.application.id),
        await createOnboardedMember(h.services, t.application.id),
        await createOnboardedMember(h.services, t.application.id),
      ];
      await openMemberAccounts(sql, { applicationId: t.application.id, memberId: payer.id, kinds: ['PAYMENT'], agreementId: null });
      await openMemberAccounts(sql, { applicationId: t.application.id, memberId: shop.id, kinds: ['PENDING_SETTLEMENT', 'PAYMENT'], agreementId: null });
      await openMemberAccounts(sql, { applicationId: t.application.id, memberId: unsigned.id, kinds: ['PENDING_SETTLEMENT'], agreementId: null });
      return { app: t.application.id, payer, shop, unsigned };
    };
    const d1 = businessDay(new Date(testNow().getTime() + 500 * 86_400_000));
    const d2 = businessDay(new Date(dayStart(d1).getTime() + 36 * 3600_000));
    const at = (day: string, hours: number) => new Date(dayStart(day).getTime() + hours * 3600_000);
    const sale = async (app: string, payer: string, shop: string, no: string, fen: number, when: Date) => {
      const fund = await placeOrder(
        sql,
        app,
        { kind: 'TOP_UP', bizOrderNo: `${no}-F`, amountFen: fen, receiverMemberId: payer, paymentMethod: 'QUICK_PAY' },
        when,
        paymentOrderWorkflowId,
      );
      await settleOrder(sql, fund.order.id, { status: 'SUCCESS' }, when);
      await placeOrder(
        sql,
        app,
        { kind: 'CONSUMPTION', bizOrderNo: no, amountFen: fen, receiverMemberId: shop, payerMemberId: payer, paymentMethod: 'BALANCE' },
        when,
        paymentOrderWorkflowId,
      );
    };
    const t1 = await setUp('T1');
    const manual = await setUp('MANUAL');
    for (const s of [t1, manual]) {
      await sale(s.app, s.payer.id, s.shop.id, 'S-D1', 6_000, at(d1, 20));
      await sale(s.app, s.payer.id, s.unsigned.id, 'S-U', 1_000, at(d1, 21));
      await sale(s.app, s.payer.id, s.shop.id, 'S-D2', 2_500, at(d2, 8));
    }
    const balanceOf = async (memberId: string, kind: string) => Number((await prisma.account.findFirstOrThrow({ where: { memberId, kind } })).balanceFen);

    const run = await settleForDay(sql, d2, at(d2, 0.5));
    expect(run.settled).toBeGreaterThanOrEqual(1);
    // Yesterday's 60.00 moved; today's 25.00 waits for tomorrow; the member without a 支付账户 keeps its 10.00.
    expect([await balanceOf(t1.shop.id, 'PENDING_SETTLEMENT'), await balanceOf(t1.shop.id, 'PAYMENT')]).toEqual([2_500, 6_000]);
    expect(await balanceOf(t1.unsigned.id, 'PENDING_SETTLEMENT')).toBe(1_000);
    const order = await prisma.order.findFirstOrThrow({ where: { applicationId: t1.app, type: 'SETTLEMENT' } });
    expect(order).toMatchObject({ status: 'SUCCESS', amountFen: 6_000n, receiverMemberId: t1.shop.id });
    // A second run of the same day settles nothing twice.
    await settleForDay(sql, d2, at(d2, 1));
    expect(await prisma.order.count({ where: { applicationId: t1.app, type: 'SETTLEMENT' } })).toBe(1);
    // MANUAL: nothing by itself; the platform's own 结算 order moves what it asks for.
    expect(await balanceOf(manual.shop.id, 'PENDING_SETTLEMENT')).toBe(8_500);
    await placeOrder(
      sql,
      manual.app,
      { kind: 'SETTLEMENT', bizOrderNo: 'JS-1', amountFen: 8_000, receiverMemberId: manual.shop.id },
      at(d2, 9),
      paymentOrderWorkflowId,
    );
    expect([await balanceOf(manual.shop.id, 'PENDING_SETTLEMENT'), await balanceOf(manual.shop.id, 'PAYMENT')]).toEqual([500, 8_000]);
    await expect(
      placeOrder(
        sql,
        manual.app,
        { kind: 'SETTLEMENT', bizOrderNo: 'JS-2', amountFen: 501, receiverMemberId: manual.shop.id },
        at(d2, 9),
        paymentOrderWorkflowId,
      ),
    ).rejects.toMatchObject({ id: 'order.insufficient_balance' });
    await expect(
      placeOrder(
        sql,
        manual.app,
        { kind: 'SETTLEMENT', bizOrderNo: 'JS-3', amountFen: 100, receiverMemberId: manual.unsigned.id },
        at(d2, 9),
        paymentOrderWorkflowId,
      ),
    ).rejects.toMatchObject({ id: 'order.account_missing' });
  });
});
