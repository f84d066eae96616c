/**
 * Sensitive fields of the open API (ID numbers, card numbers, phones) travel SM4-encrypted with the
 * application's sensitive-field key from 证书管理 (生成加密秘钥, 128 bits as 32 hex digits):
 *
 *   field value = KEY_ID ":" IV ":" CIPHERTEXT
 *   KEY_ID      = the first 8 hex digits of SM3(key as its 16 bytes): which key sealed it
 *   IV          = 16 random bytes, 32 hex digits, new for every field
 *   CIPHERTEXT  = SM4-CBC of the UTF-8 value with PKCS#7 padding, hex
 *
 * A regenerated key leaves the one it replaced valid for SENSITIVE_KEY_OVERLAP_MS, so the platform's
 * servers can switch over one by one; the key id says which of the two to use.
 */
import { randomBytes } from 'node:crypto';
import { sm3, sm4 } from 'sm-crypto-v2';
import { BusinessError } from '../../domain/errors';

export const SENSITIVE_KEY_OVERLAP_MS = 24 * 3600 * 1000;
/** KEY_ID:IV:CIPHERTEXT, hex. */
export const SEALED_FIELD = /^([0-9a-f]{8}):([0-9a-f]{32}):((?:[0-9a-f]{32})+)$/;

/** Request fields sent sealed (a path into the body; absent ones are skipped). Answers carry only masks. */
export const SEALED_REQUEST_FIELDS = [
  'realName.idNumber',
  'realName.cardNumber',
  'realName.phone',
  'legalRepresentative.idNumber',
  'legalRepresentative.phone',
] as const;

const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

export function sensitiveKeyId(keyHex: string): string {
  return sm3(bytesOf(keyHex)).slice(0, 8);
}

/** Seals a value (the platform's side; the client example does the same with sm-crypto). */
export function sealField(value: string, keyHex: string, iv = randomBytes(16).toString('hex')): string {
  const ciphertext = sm4.encrypt(value, keyHex, { mode: 'cbc', iv, padding: 'pkcs#7' }) as string;
  return `${sensitiveKeyId(keyHex)}:${iv}:${ciphertext}`;
}

export interface SensitiveKey {
  keyHex: string;
}

/** Opens a sealed value with whichever of the keys sealed it; anything else is refused, naming the field. */
export function openField(sealed: unknown, keys: SensitiveKey[], field: string): string {
  const m = typeof sealed === 'string' ? SEALED_FIELD.exec(sealed.toLowerCase()) : null;
  if (!m) throw new BusinessError('openapi.field_sealing', `${field} 须为 SM4 加密后的值（密钥标识:IV:密文）`, { field });
  const key = keys.find((k) => sensitiveKeyId(k.keyHex) === m[1]);
  if (!key) throw new BusinessError('openapi.field_key_unknown', `${field} 所用的敏感信息加密密钥已失效或不存在，请使用证书管理中当前的密钥`, { field });
  let plain: string;
  try {
    plain = sm4.decrypt(m[3]!, key.keyHex, { mode: 'cbc', iv: m[2]!, padding: 'pkcs#7' }) as string;
  } catch {
    plain = '';
  }
  if (!plain) throw new BusinessError('openapi.field_sealing', `${field} 无法解密（密文或填充有误）`, { field });
  return plain;
}

/** The body with each sealed field of `paths` opened in place (a copy; other fields untouched). */
export function openSealedFields(body: unknown, paths: readonly string[], keys: SensitiveKey[]): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const path of paths) {
    const [outer, inner] = path.split('.') as [string, string];
    const parent = copy[outer];
    if (!parent || typeof parent !== 'object' || Array.isArray(parent) || !(inner in parent)) continue;
    (parent as Record<string, unknown>)[inner] = openField((parent as Record<string, unknown>)[inner], keys, path);
  }
  return copy;
}
