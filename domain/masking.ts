/**
 * Masks for sensitive values shown in any UI, API answer or log.
 * Card: first 6 + last 4 (the acquiring industry's rule); ID: first 3 + last 4; phone: first 3 + last 4.
 */

function maskMiddle(value: string, head: number, tail: number): string {
  const v = value.replace(/\s+/g, '');
  if (v.length <= head + tail) return '*'.repeat(v.length);
  return v.slice(0, head) + '*'.repeat(v.length - head - tail) + v.slice(v.length - tail);
}

export const maskCardNumber = (card: string): string => maskMiddle(card, 6, 4);
export const maskIdNumber = (id: string): string => maskMiddle(id, 3, 4);
export const maskPhone = (phone: string): string => maskMiddle(phone, 3, 4);

/** Names keep their first character: 张** / 深圳**有限公司 would leak too much, so only persons are masked. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(chars.length - 1);
}
