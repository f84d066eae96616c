/**
 * 提现设置 (自动提现) of a member, by the platform: every day at its time the member's available
 * 支付账户 balance goes to its verified card (lib/business/auto-withdrawals.ts does it). Scoped to
 * the caller's application, audited.
 */
import { BusinessError } from '../../domain/errors';
import { minuteOfDay, timeOfDay } from '../../lib/business/auto-withdrawals';
import { auditOf } from '../audit';
import { type Actor, type AppDeps, applicationScope } from '../context';
import type { AutoWithdrawalInput } from './schemas';

/** The member's setting as pages show it: its time and card, or null (withdrawals are the platform's to start). */
export async function autoWithdrawalOf(deps: AppDeps, memberId: string) {
  const { prisma } = deps.services;
  const w = await prisma.autoWithdrawal.findUnique({ where: { memberId } });
  if (!w) return null;
  const card = await prisma.bankCard.findUnique({ where: { id: w.cardId }, select: { cardNumberMasked: true } });
  return { time: timeOfDay(w.minuteOfDay), cardId: w.cardId, cardNumber: card?.cardNumberMasked ?? null };
}

export async function setAutoWithdrawal(deps: AppDeps, actor: Actor, memberId: string, input: AutoWithdrawalInput) {
  const { prisma } = deps.services;
  const applicationId = applicationScope(actor);
  const member = await prisma.member.findFirst({ where: { id: memberId, applicationId } });
  if (!member) throw new BusinessError('member.not_found');
  if (member.status !== 'NORMAL') throw new BusinessError('order.member_not_normal');
  const card = await prisma.bankCard.findFirst({ where: { id: input.cardId, memberId } });
  if (!card) throw new BusinessError('order.card_invalid');
  if (!(await prisma.account.findFirst({ where: { memberId, kind: 'PAYMENT' } })))
    throw new BusinessError('order.account_missing', '会员尚未开立支付账户，不能设置自动提现');
  const minute = minuteOfDay(input.time);
  await prisma.$transaction([
    prisma.autoWithdrawal.upsert({
      where: { memberId },
      update: { cardId: card.id, minuteOfDay: minute },
      create: { memberId, applicationId, cardId: card.id, minuteOfDay: minute },
    }),
    prisma.auditLog.create(auditOf(actor, 'member.auto_withdrawal.set', `member:${memberId}`, { time: input.time, card: card.cardNumberMasked })),
  ]);
  return autoWithdrawalOf(deps, memberId);
}

export async function clearAutoWithdrawal(deps: AppDeps, actor: Actor, memberId: string) {
  const { prisma } = deps.services;
  const member = await prisma.member.findFirst({ where: { id: memberId, applicationId: applicationScope(actor) } });
  if (!member) throw new BusinessError('member.not_found');
  await prisma.$transaction([
    prisma.autoWithdrawal.deleteMany({ where: { memberId } }),
    prisma.auditLog.create(auditOf(actor, 'member.auto_withdrawal.cleared', `member:${memberId}`)),
  ]);
  return null;
}
