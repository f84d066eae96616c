/**
 * Activities of a split rule's signing (分账抽佣规则 → 协议签约): send links to
 * the parties that have not signed the rule's current terms, and mark the rule
 * signed once every party has.
 */
import { auditOnce } from '../audit';
import type { Clock } from '../../lib/adapters/clock';
import type { PrismaClient } from '@prisma/client';
import { SPLIT_LINK_VALIDITY_MS } from '../../domain/validity';
import type { SigningLinks } from '../../lib/business/signing-links';

export function createSplitRuleSigningActivities(deps: { clock: Clock; prisma: PrismaClient; signingLinks: SigningLinks }) {
  const { prisma, signingLinks } = deps;
  const unsignedParties = (ruleId: string) =>
    prisma.$queryRaw<{ memberId: string }[]>`
      SELECT "memberId" FROM "SplitRuleParty"
      WHERE "ruleId" = ${ruleId}::uuid AND ("signedTermsHash" IS NULL OR "signedTermsHash" <> "termsHash")`;

  return {
    /**
     * Sends a new link to every unsigned party (revoking its earlier live link).
     * `round` names this send: the same round re-run after a crash sends nothing twice.
     */
    async sendSplitRuleLinks(req: { ruleId: string; round: string }): Promise<{ unsigned: number; sent: number }> {
      const rule = await prisma.splitRule.findUniqueOrThrow({ where: { id: req.ruleId } });
      const unsigned = await unsignedParties(req.ruleId);
      if (unsigned.length === 0) return { unsigned: 0, sent: 0 };
      const outcomes = await signingLinks.issue({
        applicationId: rule.applicationId,
        purpose: 'SPLIT_RULE',
        validityMs: SPLIT_LINK_VALIDITY_MS,
        splitRuleId: rule.id,
        links: unsigned.map((p) => ({ key: `split:${rule.id}:${req.round}:${p.memberId}`, memberId: p.memberId })),
      });
      return { unsigned: unsigned.length, sent: outcomes.filter((o) => o.linkId).length };
    },

    /** A day before the links expire: one reminder to each party that has not signed. */
    async remindSplitRuleLinks(req: { ruleId: string }): Promise<number> {
      return signingLinks.remind({ splitRuleId: req.ruleId });
    },

    async splitRuleUnsignedCount(req: { ruleId: string }): Promise<number> {
      return (await unsignedParties(req.ruleId)).length;
    },

    /** Every party signed: the rule takes effect (if no edit slipped in meanwhile). */
    async markSplitRuleSigned(req: { ruleId: string }): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const parties = await tx.splitRuleParty.findMany({ where: { ruleId: req.ruleId } });
        if (parties.some((p) => p.signedTermsHash !== p.termsHash)) return false;
        await tx.splitRule.update({ where: { id: req.ruleId }, data: { allSigned: true, effectiveAt: deps.clock.now() } });
        await auditOnce(tx, { actorRole: 'SYSTEM', action: 'split-rule.signed', target: `split-rule:${req.ruleId}`, detail: { parties: parties.length } });
        return true;
      });
    },
  };
}
