import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for sensitive fields (ID numbers, card numbers, phones):
 * AES-256-GCM, one random IV per value, plus keyed digests for equality look-ups.
 */
export class FieldCrypto {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  constructor(keyBase64: string, macSecret: string) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('field encryption key must be 32 bytes');
    this.macKey = Buffer.from(macSecret, 'utf8');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Keyed digest: equal inputs give equal digests, and nobody without the key can test guesses. */
  digest(purpose: string, value: string): string {
    return createHmac('sha256', this.macKey).update(`${purpose}\u0000${value}`).digest('base64url');
  }
}
