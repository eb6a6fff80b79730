import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { EvidenceReader } from '../database/EvidenceReader';
import { EvidenceStore } from '../database/EvidenceStore';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { T, entity } from './startEvidenceTestBackend';

/**
 * A store and reader on `knex` with the default options, `resolver`'s alias map (one replica of
 * the plugin) and the clock at `T`, or at `clock.now` (epoch ms) as a test moves it.
 */
export async function ledgerStoreOn(
  knex: Knex,
  resolver: AliasResolver,
  clock?: { now: number },
) {
  const options = readEvidenceOptions(new ConfigReader({}));
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options,
    logger: mockServices.logger.mock(),
    clock: () => new Date(clock ? clock.now : T),
  });
  const reader = new EvidenceReader(knex, resolver, options);
  return { store, reader, resolver, options };
}

/**
 * The store and reader of the ledger tests on `knex`, with an alias map of checkout-service and
 * its alias `checkout`.
 */
export async function checkoutLedgerStore(knex: Knex) {
  const resolver = new AliasResolver();
  resolver.rebuild([
    entity('Component', 'checkout-service', {
      'ops.example.com/aliases': 'checkout',
    }),
  ]);
  return ledgerStoreOn(knex, resolver);
}
