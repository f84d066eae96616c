/**
 * The member's side of an SMS signing link: open it, ask for a code, sign.
 * No login: the link token is the member's key, the SMS code to the bound
 * phone confirms the signature.
 */
import { Router } from 'express';
import { z } from 'zod';
import { LINK_TOKEN_PATTERN } from '../../lib/business/link-tokens';
import { partySignedSignal } from '../../workflows/split-rule/messages';
import type { AppDeps } from '../context';
import type { RouterDoc } from '../route-docs';
import { codeSchema } from '../member-onboarding/schemas';
import { splitRuleWorkflowIdOf } from '../split-rule/service';

const tokenSchema = z.object({ token: z.string().regex(LINK_TOKEN_PATTERN, '签约链接无效') });

export function signingRouter(deps: AppDeps): Router {
  const router = Router();
  const links = deps.services.signingLinks;
  const now = () => deps.services.clock.now();

  router.get('/:token', async (req, res) => {
    res.json(await links.open(tokenSchema.parse(req.params).token, now()));
  });
  router.post('/:token/code', async (req, res) => {
    res.json(await links.requestCode(tokenSchema.parse(req.params).token, now()));
  });
  router.post('/:token/signature', async (req, res) => {
    const { token } = tokenSchema.parse(req.params);
    const { code } = codeSchema.parse(req.body ?? {});
    const signed = await links.sign(token, code, { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null }, now());
    if (signed.splitRuleId) await notifySplitRule(deps, signed.splitRuleId);
    res.json(signed);
  });
  return router;
}

/**
 * Tells the rule's signing workflow that a party signed. The signature is
 * already recorded; if Temporal is unreachable the workflow catches up on its
 * next wake-up (resend or edit), so this never fails the member's request.
 */
async function notifySplitRule(deps: AppDeps, ruleId: string) {
  try {
    const workflowId = await splitRuleWorkflowIdOf(deps, ruleId);
    await deps.temporal.workflow.getHandle(workflowId).signal(partySignedSignal);
  } catch (err) {
    console.error('[api] telling the split rule about a signature failed:', err);
  }
}

const link = { params: tokenSchema } as const;
/** 分账协议签约（短信链接）in the portal's API document: the link's token is the member's key. */
export const signingDoc: RouterDoc = {
  tag: '分账协议签约（链接）',
  admits: 'PUBLIC',
  routes: {
    'GET /:token': { ...link, summary: '签约页：协议内容与签约状态' },
    'POST /:token/code': { ...link, summary: '发送签约验证码（至会员绑定手机）' },
    'POST /:token/signature': { ...link, summary: '以验证码签署（记录签约证据）', body: codeSchema, example: { code: '123456' } },
  },
};
