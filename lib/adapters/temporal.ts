import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';
import { dataConverter } from './payload-codec';

/** A Temporal client for the API: encrypted payloads, the configured namespace. */
export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverter(config.DATA_ENCRYPTION_KEY),
  });
}
