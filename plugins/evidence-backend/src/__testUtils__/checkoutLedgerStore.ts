import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { EvidenceReader } from '../database/EvidenceReader';
import { EvidenceStore } from '../database/EvidenceStore';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { T, entity } from './startEvidenceTestBackend';

/**
 * The store and reader of the ledger tests on `knex`: the default options, the clock at `T`,
 * and an alias map with checkout-service and its alias `checkout`.
 */
export async function checkoutLedgerStore(knex: Knex) {
  const options = readEvidenceOptions(new ConfigReader({}));
  const resolver = new AliasResolver();
  resolver.rebuild([
    entity('Component', 'checkout-service', {
      'ops.example.com/aliases': 'checkout',
    }),
  ]);
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options,
    logger: mockServices.logger.mock(),
    clock: () => new Date(T),
  });
  const reader = new EvidenceReader(knex, resolver, options);
  return { store, reader, resolver, options };
}
