/**
 * 期末余额 by the daily close (lib/business/daily-close.ts) on real orders: each account's EOD is
 * the previous EOD plus the day's movements, a closed day is never written again, a wrong earlier
 * EOD is caught by the next day's check. Days far in the future are used so that no other test's
 * day (nor the 00:05 schedule, which closes up to yesterday) meets these.
 */
import { businessDay, dayStart } from '../../domain/ledger';
import { DAILY_CLOSE_SCHEDULE_ID } from '../../lib/adapters/schedules';
import { openMemberAccounts } from '../../lib/business/accounts';
import { closeBusinessDay, daysToClose } from '../../lib/business/daily-close';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { createOnboardedMember, createTenant, fileHarness, testNow } from '../support/harness';

describe('the daily close', () => {
  const h = fileHarness();

  it('runs by a schedule at 00:05 Shanghai time, one run at a time', async () => {
    const d = await h.temporal.schedule.getHandle(DAILY_CLOSE_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 5, end: 5, step: 1 }] });
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyClose' });
    expect(d.policies.overlap).toBe('SKIP');
  });

  it('closes the days after the last one up to yesterday, or only yesterday at first', () => {
    expect(daysToClose(null, '2027-03-01')).toEqual(['2027-02-28']);
    expect(daysToClose('2027-02-26', '2027-03-01')).toEqual(['2027-02-27', '2027-02-28']);
    expect(daysToClose('2027-02-28', '2027-03-01')).toEqual([]);
  });

  it('writes EOD(D) = EOD(D−1) + movements(D) once per account and day, and catches a wrong EOD(D−1)', async () => {
    const { sql, prisma } = h.services;
    const tenant = await createTenant(h.services);
    const app = tenant.application.id;
    const [a, b] = [await createOnboardedMember(h.services, app), await createOnboardedMember(h.services, app)];
    for (const m of [a, b]) await openMemberAccounts(sql, { applicationId: app, memberId: m.id, kinds: ['PAYMENT'], agreementId: null });
    // Two business days a year and a bit ahead (Shanghai), at 10:00 and 23:30 local time.
    const d1 = businessDay(new Date(testNow().getTime() + 400 * 86_400_000));
    const d2 = businessDay(new Date(dayStart(d1).getTime() + 36 * 3600_000));
    const at = (day: string, hours: number) => new Date(dayStart(day).getTime() + hours * 3600_000);
    const topUp = async (no: string, fen: number, when: Date) => {
      const p = await placeOrder(
        sql,
        app,
        { kind: 'TOP_UP', bizOrderNo: no, amountFen: fen, receiverMemberId: a.id, paymentMethod: 'QUICK_PAY' },
        when,
        paymentOrderWorkflowId,
      );
      await settleOrder(sql, p.order.id, { status: 'SUCCESS' }, when);
    };
    await topUp('D1-1', 10_000, at(d1, 10));
    await topUp('D1-2', 2_500, at(d1, 23.5));
    await placeOrder(
      sql,
      app,
      { kind: 'TRANSFER', bizOrderNo: 'D2-1', amountFen: 4_000, receiverMemberId: b.id, payerMemberId: a.id, paymentMethod: 'BALANCE' },
      at(d2, 9),
      paymentOrderWorkflowId,
    );

    const first = await closeBusinessDay(sql, d1);
    expect(first).toMatchObject({ day: d1, movements: 4, mismatches: 0 });
    const eod = async (memberId: string, day: string) => {
      const acc = await prisma.account.findFirstOrThrow({ where: { memberId, kind: 'PAYMENT' } });
      const row = await prisma.dailyBalance.findUnique({ where: { accountId_day: { accountId: acc.id, day } } });
      return row === null ? null : Number(row.balanceFen);
    };
    expect([await eod(a.id, d1), await eod(b.id, d1)]).toEqual([12_500, 0]);
    // Closed is closed: a second close writes nothing.
    expect(await closeBusinessDay(sql, d1)).toBeNull();

    const second = await closeBusinessDay(sql, d2);
    expect(second).toMatchObject({ day: d2, movements: 2, mismatches: 0 });
    expect([await eod(a.id, d2), await eod(b.id, d2)]).toEqual([8_500, 4_000]);

    // An EOD(D−1) that is wrong is caught by the check of D: here d2's row is spoilt before d3 closes.
    const d3 = businessDay(new Date(dayStart(d2).getTime() + 36 * 3600_000));
    const accA = await prisma.account.findFirstOrThrow({ where: { memberId: a.id, kind: 'PAYMENT' } });
    await prisma.dailyBalance.update({ where: { accountId_day: { accountId: accA.id, day: d2 } }, data: { balanceFen: 8_501n } });
    expect(await closeBusinessDay(sql, d3)).toMatchObject({ day: d3, movements: 0, mismatches: 1 });
    expect(await prisma.businessDayClose.findUnique({ where: { day: d3 } })).toMatchObject({ mismatches: 1 });
  });
});
