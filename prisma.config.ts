/**
 * Prisma CLI configuration: the offline path (WASM schema engine + the pg driver
 * adapter, no native engines to download). Two CLI-only workarounds for
 * @prisma/adapter-pg 6.19 follow; the application's own client does not need them.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

type PgResult = { fields: { dataTypeID: number }[] };
type Queryable = { performIO(query: unknown): Promise<PgResult> };

const PG_NAME = 19;
const PG_CHAR = 18;
const PG_TEXT = 25;

function patchAdapterPrototype(adapter: object): void {
  // (1) catalogue columns of type `name` and `"char"` are rejected by the adapter:
  //     present them as text, which is what they are to the migration engine.
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Queryable & { __patched?: boolean };
  if (proto.__patched) return;
  const performIO = proto.performIO;
  proto.performIO = async function (this: Queryable, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result.fields) {
      if (field.dataTypeID === PG_NAME || field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    }
    return result;
  };
  proto.__patched = true;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    const factory = new PrismaPg({ connectionString: process.env.DATABASE_URL });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      patchAdapterPrototype(adapter);
      // (2) executeScript splits on every `;`, breaking string literals and $$ bodies:
      //     run each migration script as one query.
      adapter.executeScript = async (script: string) => {
        await adapter.underlyingDriver().query(script);
      };
      return adapter;
    };
    return factory;
  },
});
