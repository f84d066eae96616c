/**
 * SMS signing links (协议签约 by link): issuing them to members, and the
 * member's side (open, ask for a code, sign). Links are rows, not workflows: a
 * batch of 10,000 is 10,000 rows and 10,000 SMS, driven by one batch workflow;
 * the split-rule workflow issues its parties' links the same way.
 */
import { shanghaiDateTime } from '../../domain/ledger';
import { type Clock, systemClock } from '../adapters/clock';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient, SigningLink, SigningPurpose } from '@prisma/client';
import { AGREEMENTS, type AgreementKind } from '../../domain/agreement';
import { BusinessError } from '../../domain/errors';
import { maskPersonName } from '../../domain/masking';
import type { FieldCrypto } from '../adapters/field-crypto';
import { recordMemberEvent } from './member-events';
import { derivedLinkToken, signingLinkHash, signingUrl } from './link-tokens';
import { recordSignature } from './signatures';
import { openMemberAccounts } from './accounts';
import { ACCOUNTS_OPENED_BY } from '../../domain/ledger';
import type { SmsChallenges } from './sms-challenges';
import type { SmsOutbox } from './sms-outbox';

export const SIGNING_KIND: Record<SigningPurpose, AgreementKind> = {
  SETTLEMENT_AUTHORISATION: 'SETTLEMENT_AUTHORISATION',
  SPLIT_RULE: 'SPLIT_RULE',
};

/** Why a member cannot receive a link (the page shows it per skipped member). */
export const SKIP_REASONS = {
  notFound: '会员不存在或不属于本应用',
  notNormal: '会员状态非正常',
  noPhone: '会员未绑定手机号',
  consentWithdrawn: '会员已撤回个人信息处理授权',
} as const;

export interface LinkRequest {
  /** Idempotency: the same key always stands for the same link. */
  key: string;
  memberId: string;
}

export interface LinkOutcome {
  memberId: string;
  linkId: string | null;
  skipReason: string | null;
}

const LIVE: SigningLink['status'][] = ['PENDING', 'SENT', 'OPENED'];

export class SigningLinks {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly crypto: FieldCrypto,
    private readonly outbox: SmsOutbox,
    private readonly challenges: SmsChallenges,
    private readonly publicBaseUrl: string,
    private readonly clock: Clock = systemClock(),
  ) {}

  tokenOf(linkId: string): string {
    return derivedLinkToken(this.crypto, 'signing', linkId);
  }

  /**
   * Creates (once per key) and sends (once per link) the links of a group of
   * members of one application. A new link revokes the member's earlier live
   * links of the same purpose (and split rule). Throws when an SMS could not be
   * sent, after recording what was sent: the caller's retry sends only the rest.
   */
  async issue(req: {
    applicationId: string;
    purpose: SigningPurpose;
    validityMs: number;
    batchId?: string;
    splitRuleId?: string;
    links: LinkRequest[];
    now?: Date;
    /** Called as SMS go out (activities heartbeat with it). */
    onProgress?: () => void;
  }): Promise<LinkOutcome[]> {
    const now = req.now ?? this.clock.now();
    const { prisma, crypto } = this;
    const members = await prisma.member.findMany({
      where: { id: { in: req.links.map((l) => l.memberId) }, applicationId: req.applicationId },
      select: { id: true, status: true, boundPhoneEnc: true, boundPhoneMasked: true, consentWithdrawnAt: true },
    });
    const byId = new Map(members.map((m) => [m.id, m]));
    const outcomes = new Map<string, LinkOutcome>();
    const wanted: LinkRequest[] = [];
    for (const l of req.links) {
      const m = byId.get(l.memberId);
      const skipReason = !m
        ? SKIP_REASONS.notFound
        : m.status !== 'NORMAL'
          ? SKIP_REASONS.notNormal
          : !m.boundPhoneEnc
            ? SKIP_REASONS.noPhone
            : m.consentWithdrawnAt
              ? SKIP_REASONS.consentWithdrawn
              : null;
      if (skipReason) outcomes.set(l.key, { memberId: l.memberId, linkId: null, skipReason });
      else wanted.push(l);
    }

    if (wanted.length > 0) {
      const expiresAt = new Date(now.getTime() + req.validityMs);
      const rows = wanted.map((l) => {
        const id = randomUUID();
        return {
          id,
          key: l.key,
          applicationId: req.applicationId,
          memberId: l.memberId,
          purpose: req.purpose,
          batchId: req.batchId ?? null,
          splitRuleId: req.splitRuleId ?? null,
          tokenHash: signingLinkHash(crypto, this.tokenOf(id)),
          phoneMasked: byId.get(l.memberId)!.boundPhoneMasked ?? '',
          expiresAt,
        };
      });
      await prisma.$transaction(async (tx) => {
        const already = new Set((await tx.signingLink.findMany({ where: { key: { in: rows.map((r) => r.key) } }, select: { key: true } })).map((r) => r.key));
        const fresh = rows.filter((r) => !already.has(r.key));
        if (fresh.length === 0) return;
        await tx.signingLink.updateMany({
          where: {
            memberId: { in: fresh.map((r) => r.memberId) },
            purpose: req.purpose,
            status: { in: LIVE },
            key: { notIn: fresh.map((r) => r.key) },
            ...(req.splitRuleId ? { splitRuleId: req.splitRuleId } : {}),
          },
          data: { status: 'REVOKED', revokedAt: now, revokedReason: '已重新发送签约链接' },
        });
        await tx.signingLink.createMany({ data: fresh, skipDuplicates: true });
      });
    }

    const links = await prisma.signingLink.findMany({ where: { key: { in: wanted.map((l) => l.key) } } });
    const unsent = links.filter((l) => l.status === 'PENDING');
    if (unsent.length > 0) {
      const app = await prisma.application.findUniqueOrThrow({ where: { id: req.applicationId }, select: { name: true } });
      const phones = new Map(members.map((m) => [m.id, m.boundPhoneEnc ? crypto.decrypt(m.boundPhoneEnc) : '']));
      const title = AGREEMENTS[SIGNING_KIND[req.purpose]].title;
      const results = await this.outbox.sendMany(
        unsent.map((l) => ({
          key: `signing-link:${l.id}`,
          phone: phones.get(l.memberId)!,
          template: `SIGNING_LINK:${req.purpose}`,
          body: `【云商通】${app.name}邀请您签署《${title}》，请于${formatDeadline(l.expiresAt)}前打开链接完成签约：${signingUrl(this.publicBaseUrl, this.tokenOf(l.id))}`,
        })),
        req.onProgress,
      );
      const sentKeys = new Set(results.filter((r) => r.ok).map((r) => r.key));
      const sentIds = unsent.filter((l) => sentKeys.has(`signing-link:${l.id}`)).map((l) => l.id);
      if (sentIds.length > 0) {
        await prisma.signingLink.updateMany({ where: { id: { in: sentIds }, status: 'PENDING' }, data: { status: 'SENT', sentAt: now } });
      }
      const failed = results.find((r) => !r.ok);
      if (failed) throw new Error(`短信发送失败，稍后重试：${failed.error}`);
    }
    for (const l of links) outcomes.set(l.key, { memberId: l.memberId, linkId: l.id, skipReason: null });
    return req.links.map((l) => outcomes.get(l.key)!);
  }

  /** Marks the links of a batch or rule that passed their deadline unsigned as expired. */
  async expire(where: { batchId?: string; splitRuleId?: string }, now = this.clock.now()): Promise<number> {
    const { count } = await this.prisma.signingLink.updateMany({
      where: { ...where, status: { in: LIVE }, expiresAt: { lte: now } },
      data: { status: 'EXPIRED' },
    });
    return count;
  }

  /**
   * 到期提醒: one SMS per link that was sent, is still unsigned and expires
   * within 24 hours. Keyed by link, so a retried or repeated call never sends a second.
   */
  async remind(where: { batchId?: string; splitRuleId?: string }, now = this.clock.now()): Promise<number> {
    const links = await this.prisma.signingLink.findMany({
      where: { ...where, status: { in: ['SENT', 'OPENED'] }, expiresAt: { gt: now, lte: new Date(now.getTime() + 24 * 3600 * 1000) } },
      include: { member: { select: { boundPhoneEnc: true } } },
    });
    const reachable = links.filter((l) => l.member.boundPhoneEnc);
    if (reachable.length === 0) return 0;
    const apps = await this.prisma.application.findMany({
      where: { id: { in: [...new Set(reachable.map((l) => l.applicationId))] } },
      select: { id: true, name: true },
    });
    const appName = new Map(apps.map((a) => [a.id, a.name]));
    const results = await this.outbox.sendMany(
      reachable.map((l) => ({
        key: `signing-link-reminder:${l.id}`,
        phone: this.crypto.decrypt(l.member.boundPhoneEnc!),
        template: 'SIGNING_LINK_REMINDER',
        body: `【云商通】${appName.get(l.applicationId) ?? ''}邀请您签署的《${AGREEMENTS[SIGNING_KIND[l.purpose]].title}》尚未签约，链接将于${formatDeadline(l.expiresAt)}失效：${signingUrl(this.publicBaseUrl, this.tokenOf(l.id))}`,
      })),
    );
    const failed = results.find((r) => !r.ok);
    if (failed) throw new Error(`提醒短信发送失败，稍后重试：${failed.error}`);
    return results.length;
  }

  /** Revokes the live links of some members (a rule edit changed what they sign). */
  async revoke(where: Prisma.SigningLinkWhereInput, reason: string, now = this.clock.now()): Promise<number> {
    const { count } = await this.prisma.signingLink.updateMany({
      where: { ...where, status: { in: LIVE } },
      data: { status: 'REVOKED', revokedAt: now, revokedReason: reason },
    });
    return count;
  }

  // ---- the member's side, reached by token ----

  private async resolve(token: string, now: Date) {
    const link = await this.prisma.signingLink.findUnique({
      where: { tokenHash: signingLinkHash(this.crypto, token) },
      include: {
        member: { select: { id: true, displayName: true, type: true, personNameEnc: true, companyName: true, boundPhoneEnc: true, boundPhoneMasked: true } },
      },
    });
    if (!link) throw new BusinessError('signing.link_invalid');
    if (link.status === 'SIGNED') throw new BusinessError('signing.link_used');
    if (link.status === 'REVOKED') throw new BusinessError('signing.link_revoked');
    if (link.status === 'EXPIRED' || link.expiresAt.getTime() <= now.getTime()) throw new BusinessError('signing.link_expired');
    return link;
  }

  /** What the signing page shows; the first opening marks the link opened. */
  async open(token: string, now = this.clock.now()) {
    const link = await this.resolve(token, now);
    if (link.status !== 'OPENED') {
      await this.prisma.signingLink.updateMany({
        where: { id: link.id, status: { in: ['PENDING', 'SENT'] } },
        data: { status: 'OPENED', openedAt: now },
      });
    }
    const template = AGREEMENTS[SIGNING_KIND[link.purpose]];
    const [app, lastCode, subject] = await Promise.all([
      this.prisma.application.findUniqueOrThrow({ where: { id: link.applicationId }, select: { name: true } }),
      this.prisma.smsChallenge.findFirst({
        where: { scope: link.id, purpose: 'AGREEMENT_SIGNING' },
        orderBy: { sentAt: 'desc' },
        select: { phoneMasked: true, sentAt: true },
      }),
      this.subjectOf(link),
    ]);
    return {
      applicationName: app.name,
      memberName: link.member.type === 'ENTERPRISE' ? link.member.displayName : maskPersonName(link.member.displayName),
      purpose: link.purpose,
      phone: link.member.boundPhoneMasked,
      expiresAt: link.expiresAt.toISOString(),
      agreement: { title: template.title, version: template.version, text: template.text },
      subject,
      codeSent: lastCode ? { sentTo: lastCode.phoneMasked, sentAt: lastCode.sentAt.toISOString() } : null,
    };
  }

  /** 获取验证码: a signing code to the member's bound phone (SMS rules of SmsChallenges). */
  async requestCode(token: string, now = this.clock.now()) {
    const link = await this.resolve(token, now);
    if (!link.member.boundPhoneEnc) throw new BusinessError('onboarding.no_phone');
    const sent = await this.challenges.issue({
      key: `signing-link:${link.id}:code:${randomBytes(6).toString('hex')}`,
      scope: link.id,
      purpose: 'AGREEMENT_SIGNING',
      phone: this.crypto.decrypt(link.member.boundPhoneEnc),
      now,
    });
    return { sentTo: sent.sentTo, sentAt: sent.sentAt };
  }

  /**
   * 签署: checks the code, then in one transaction marks the link signed (only if
   * it is still live) and records the agreement with its evidence.
   */
  async sign(token: string, code: string, client: { ip: string | null; userAgent: string | null }, now = this.clock.now()) {
    const link = await this.resolve(token, now);
    const { challengeId } = await this.challenges.verify({
      scope: link.id,
      purpose: 'AGREEMENT_SIGNING',
      code,
      // The link consumes the code: a member retrying after a failed save signs with it; the link signs only once.
      consumer: `signing-link:${link.id}`,
      now,
    });
    const challenge = await this.prisma.smsChallenge.findUniqueOrThrow({ where: { id: challengeId }, select: { phoneMasked: true } });
    const subject = await this.subjectOf(link);
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.signingLink.updateMany({
        where: { id: link.id, status: { in: LIVE }, expiresAt: { gt: now } },
        data: { status: 'SIGNED', signedAt: now },
      });
      if (count === 0) {
        // Signed, revoked or expired since the code was checked: say which.
        const now2 = await tx.signingLink.findUniqueOrThrow({ where: { id: link.id }, select: { status: true } });
        throw new BusinessError(now2.status === 'SIGNED' ? 'signing.link_used' : now2.status === 'REVOKED' ? 'signing.link_revoked' : 'signing.link_expired');
      }
      const agreement = await recordSignature(tx, {
        memberId: link.memberId,
        applicationId: link.applicationId,
        kind: SIGNING_KIND[link.purpose],
        linkId: link.id,
        subject: subject ?? undefined,
        evidence: {
          smsChallengeId: challengeId,
          signedPhoneMasked: challenge.phoneMasked,
          signerNameEnc: link.member.personNameEnc ?? this.crypto.encrypt(link.member.displayName),
          ip: client.ip,
          userAgent: client.userAgent,
        },
        signedAt: now,
      });
      // The 客户委托结算授权函 opens the member's 支付账户 under it (domain/ledger.ts).
      const opens = ACCOUNTS_OPENED_BY[SIGNING_KIND[link.purpose]];
      if (opens) await openMemberAccounts(tx, { applicationId: link.applicationId, memberId: link.memberId, kinds: opens, agreementId: agreement.id });
      await recordMemberEvent(tx, link.memberId, 'SIGNED', { agreement: SIGNING_KIND[link.purpose], linkId: link.id, splitRuleId: link.splitRuleId });
      if (link.splitRuleId) {
        const party = await tx.splitRuleParty.findUnique({ where: { ruleId_memberId: { ruleId: link.splitRuleId, memberId: link.memberId } } });
        if (party) {
          await tx.splitRuleParty.update({ where: { id: party.id }, data: { signedTermsHash: party.termsHash, signedAt: now } });
        }
      }
    });
    return { purpose: link.purpose, splitRuleId: link.splitRuleId, signedAt: now.toISOString() };
  }

  /** A split rule's terms as the party sees them; nothing for settlement letters. */
  private async subjectOf(link: SigningLink) {
    if (!link.splitRuleId) return null;
    const rule = await this.prisma.splitRule.findUnique({
      where: { id: link.splitRuleId },
      include: { parties: { orderBy: { position: 'asc' } } },
    });
    if (!rule) return null;
    const names = new Map(
      (
        await this.prisma.member.findMany({
          where: { id: { in: [rule.receiverMemberId, ...rule.parties.map((p) => p.memberId)] } },
          select: { id: true, displayName: true, bizUserId: true },
        })
      ).map((m) => [m.id, `${m.displayName}（${m.bizUserId}）`]),
    );
    return {
      ruleNo: rule.ruleNo,
      name: rule.name,
      receiver: names.get(rule.receiverMemberId) ?? '',
      commission: rule.commissionMethod ? { method: rule.commissionMethod, value: rule.commissionValue } : null,
      parties: rule.parties.filter((p) => p.role === 'SPLIT').map((p) => ({ member: names.get(p.memberId) ?? '', method: p.method, value: p.value })),
    };
  }
}

/** "2026年11月29日 10:00" in Shanghai time, for SMS texts. */
export function formatDeadline(at: Date): string {
  const s = shanghaiDateTime(at);
  return `${s.slice(0, 4)}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
}
