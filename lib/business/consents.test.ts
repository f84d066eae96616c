/**
 * The personal-information texts members consented to stay as they were released: each version's
 * fingerprint is pinned here, so editing a released text (instead of adding a version) fails, and a
 * recorded consent is shown as verified only against its own version's text.
 */
import { CONSENT_TEXTS, PERSONAL_INFORMATION_CONSENT, consentTextOf } from '../../domain/personal-information';
import { consentTextHash, consentView } from './consents';

/** SHA-256 of each released version (version, notice, sensitive consent). Add a line per new version; never edit one. */
const RELEASED: Record<string, string> = {
  '2026-12': '2754d927cb323b4b5b3fae64be57ba64949fe7e555b757a617e23da0816b6a5d',
};

describe('个人信息收集告知 versions', () => {
  it('keeps every released text as it was, the newest being the one shown', () => {
    expect(Object.fromEntries(CONSENT_TEXTS.map((t) => [t.version, consentTextHash(t)]))).toEqual(RELEASED);
    expect(PERSONAL_INFORMATION_CONSENT.version).toBe(Object.keys(RELEASED).sort().at(-1));
    expect(new Set(CONSENT_TEXTS.map((t) => t.version)).size).toBe(CONSENT_TEXTS.length);
    for (const t of CONSENT_TEXTS) expect(t.notice).toContain(`版本 ${t.version}`);
    expect(consentTextOf('2025-01')).toBeNull();
  });

  it('shows a consent verified only when its fingerprint is that of its version’s released text', () => {
    const at = new Date('2026-12-03T02:00:00Z');
    const consent = (version: string, textHash: string) => ({ source: 'MEMBER_PAGE', version, textHash, givenAt: at, withdrawnAt: null });
    const view = consentView({
      consentWithdrawnAt: null,
      consents: [consent('2026-12', RELEASED['2026-12']!), consent('2026-12', 'f'.repeat(64)), consent('2025-01', RELEASED['2026-12']!)],
    });
    expect(view.consents.map((c) => c.textVerified)).toEqual([true, false, false]);
    expect(view.consents[0]).toEqual({
      source: 'MEMBER_PAGE',
      sourceLabel: '会员开户页勾选',
      version: '2026-12',
      textVerified: true,
      givenAt: '2026-12-03T02:00:00.000Z',
      withdrawnAt: null,
    });
  });
});
