/**
 * 提现设置 (自动提现): the platform sets a member's daily time and card; when the time has come the
 * member's available 支付账户 balance is withdrawn, once that day, through the payment channel; the
 * member portal shows the setting.
 */
import { sealedBankCard } from '../../lib/business/bank-cards';
import { openMemberAccounts } from '../../lib/business/accounts';
import { autoWithdrawalNo, placeDueWithdrawals } from '../../lib/business/auto-withdrawals';
import { placeOrder, settleOrder } from '../../lib/business/orders';
import { businessDay, dayStart } from '../../domain/ledger';
import { paymentOrderWorkflowId } from '../../workflows/ids';
import { cardNumber } from '../support/fixtures';
import { createOnboardedMember, fileHarness, signedInTenant, testNow } from '../support/harness';

describe('自动提现', () => {
  const h = fileHarness();

  it('is set by the platform on a verified card of the member, and withdraws what is available once a day when its time comes', async () => {
    const { tenant, agent } = await signedInTenant(h);
    const { sql, prisma } = h.services;
    const m = await createOnboardedMember(h.services, tenant.application.id);
    const other = await createOnboardedMember(h.services, tenant.application.id);
    const card = await prisma.bankCard.create({
      data: {
        memberId: m.id,
        ...sealedBankCard(h.services.crypto, { cardNumber: cardNumber('621700'), holderName: '测试会员', reservedPhone: m.phone! }, testNow()),
      },
    });
    // No 支付账户 yet: nothing to withdraw from.
    expect((await agent.put(`/api/members/${m.id}/auto-withdrawal`).send({ cardId: card.id, time: '09:30' })).body.error.id).toBe('order.account_missing');
    await openMemberAccounts(sql, { applicationId: tenant.application.id, memberId: m.id, kinds: ['PAYMENT'], agreementId: null });
    expect((await agent.put(`/api/members/${other.id}/auto-withdrawal`).send({ cardId: card.id, time: '09:30' })).body.error.id).toBe('order.card_invalid');
    expect((await agent.put(`/api/members/${m.id}/auto-withdrawal`).send({ cardId: card.id, time: '24:00' })).status).toBe(400);
    const set = await agent.put(`/api/members/${m.id}/auto-withdrawal`).send({ cardId: card.id, time: '09:30' });
    expect(set.body).toMatchObject({ time: '09:30', cardId: card.id, cardNumber: card.cardNumberMasked });
    expect((await agent.get(`/api/members/${m.id}`)).body.autoWithdrawal).toMatchObject({ time: '09:30' });

    // A day far ahead: funds arrive, then the 09:30 run (not the 09:20 one) withdraws them, once.
    const day = businessDay(new Date(testNow().getTime() + 600 * 86_400_000));
    const at = (hhmm: string) => new Date(dayStart(day).getTime() + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000);
    const fund = await placeOrder(
      sql,
      tenant.application.id,
      { kind: 'TOP_UP', bizOrderNo: 'AW-F', amountFen: 7_700, receiverMemberId: m.id, paymentMethod: 'QUICK_PAY' },
      at('08:00'),
      paymentOrderWorkflowId,
    );
    await settleOrder(sql, fund.order.id, { status: 'SUCCESS' }, at('08:00'));
    const mine = (due: Awaited<ReturnType<typeof placeDueWithdrawals>>) => due.filter((d) => d.applicationId === tenant.application.id);
    expect(mine(await placeDueWithdrawals(sql, at('09:20')))).toEqual([]);
    const due = mine(await placeDueWithdrawals(sql, at('09:31')));
    expect(due).toHaveLength(1);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: due[0]!.orderId } });
    expect(order).toMatchObject({ type: 'WITHDRAWAL', bizOrderNo: autoWithdrawalNo(day, m.id), amountFen: 7_700n, cardId: card.id, status: 'CREATED' });
    expect(due[0]!.workflowId).toBe(paymentOrderWorkflowId(order.orderNo));
    // The same day again: the order is there (its flow to start, if the run before stopped), no second one.
    expect(mine(await placeDueWithdrawals(sql, at('09:41'))).map((d) => d.orderId)).toEqual([order.id]);
    expect(await prisma.order.count({ where: { applicationId: tenant.application.id, type: 'WITHDRAWAL' } })).toBe(1);
    const account = await prisma.account.findFirstOrThrow({ where: { memberId: m.id, kind: 'PAYMENT' } });
    expect(Number(account.reservedFen)).toBe(7_700);

    expect((await agent.delete(`/api/members/${m.id}/auto-withdrawal`)).status).toBe(200);
    expect((await agent.get(`/api/members/${m.id}`)).body.autoWithdrawal).toBeNull();
  });
});
