import type { Sql } from '../adapters/db';
import type { FieldCrypto } from '../adapters/field-crypto';

/** The phone on file: the bound phone once there is one, else the legal representative's (enterprise) or the bank-reserved phone (person). */
export async function phoneOnFile(sql: Sql, crypto: FieldCrypto, memberId: string): Promise<string | null> {
  const { rows } = await sql.query<{ sealed: string | null }>({
    name: 'member-phone-on-file',
    text: `SELECT COALESCE(m."boundPhoneEnc", m."legalPhoneEnc",
                          (SELECT b."reservedPhoneEnc" FROM "BankCard" b WHERE b."memberId" = m.id ORDER BY b."createdAt" LIMIT 1)) AS sealed
             FROM "Member" m WHERE m.id = $1::uuid`,
    values: [memberId],
  });
  if (!rows[0]) throw new Error(`member ${memberId} not found`);
  return rows[0].sealed ? crypto.decrypt(rows[0].sealed) : null;
}
