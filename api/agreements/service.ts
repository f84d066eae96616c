/**
 * 协议管理: signed agreements of the application's members, and the PDF of an
 * online-signed one. Scoped to the caller's application.
 */
import { dayStart } from '../../domain/ledger';
import type { Prisma } from '@prisma/client';
import { AGREEMENTS, type AgreementKind } from '../../domain/agreement';
import { BusinessError } from '../../domain/errors';
import { renderAgreementPdf } from '../../lib/formats/agreement-pdf';
import type { Actor, AppDeps } from '../context';
import { applicationScope } from '../context';
import { pageOf, pageWindow } from '../pagination';
import type { ListAgreementsInput } from './schemas';
import { memberKeywordWhere } from '../../lib/business/person-names';

export async function listAgreements(deps: AppDeps, actor: Actor, input: ListAgreementsInput) {
  const { prisma } = deps.services;
  const to = input.signedTo ? new Date(dayStart(input.signedTo).getTime() + 24 * 3600 * 1000) : undefined;
  const where: Prisma.AgreementWhereInput = {
    category: input.category,
    member: {
      applicationId: applicationScope(actor),
      ...(input.keyword ? memberKeywordWhere(deps.services.crypto, input.keyword) : {}),
    },
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.online ? { online: input.online === 'true' } : {}),
    ...(input.signedFrom || to ? { signedAt: { ...(input.signedFrom ? { gte: dayStart(input.signedFrom) } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.agreement.count({ where }),
    prisma.agreement.findMany({
      where,
      orderBy: { signedAt: 'desc' },
      ...pageWindow(input),
      include: { member: { select: { id: true, bizUserId: true, displayName: true, type: true } } },
    }),
  ]);
  return pageOf(input, total, rows, (a) => ({
    id: a.id,
    memberId: a.member.id,
    bizUserId: a.member.bizUserId,
    memberName: a.member.displayName,
    memberType: a.member.type,
    kind: a.kind,
    title: a.title,
    version: a.version,
    online: a.online,
    signMethod: a.signMethod,
    signedPhone: a.signedPhoneMasked,
    signedAt: a.signedAt.toISOString(),
    status: a.status,
    downloadable: a.online,
  }));
}

/** The PDF of an online-signed agreement of this application. */
export async function agreementPdf(deps: AppDeps, actor: Actor, id: string) {
  const { prisma, crypto } = deps.services;
  const a = await prisma.agreement.findFirst({
    where: { id, member: { applicationId: applicationScope(actor) } },
    include: { member: { select: { bizUserId: true, type: true, displayName: true, personNameEnc: true, application: { select: { name: true } } } } },
  });
  if (!a) throw new BusinessError('agreement.not_found');
  if (!a.online) throw new BusinessError('agreement.offline');
  const filename = `${AGREEMENTS[a.kind as AgreementKind]?.title ?? a.title}-${a.member.bizUserId}.pdf`;
  return {
    filename,
    document: await renderAgreementPdf({
      ...a,
      // The signed copy names the person in full; the lists show only the masked name.
      memberName: a.member.type === 'INDIVIDUAL' && a.member.personNameEnc ? crypto.decrypt(a.member.personNameEnc) : a.member.displayName,
      signerName: a.signerNameEnc ? crypto.decrypt(a.signerNameEnc) : a.signerName,
      bizUserId: a.member.bizUserId,
      applicationName: a.member.application.name,
    }),
  };
}
