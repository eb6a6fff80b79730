/*
 * Evidence store schema (evidence.md §2.8). One schema for SQLite and PostgreSQL: times are epoch
 * milliseconds in bigint columns, JSON is canonical text spliced into responses unparsed.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const factColumns = (
    /** @type {import('knex').Knex.CreateTableBuilder} */ t,
  ) => {
    t.string('id', 26).primary();
    t.string('subject', 320).notNullable();
    t.string('entity_ref', 320).nullable();
    t.string('resolution', 12).notNullable();
    t.string('source', 64).notNullable();
    t.string('kind', 64).notNullable();
    t.string('fact_key', 512).notNullable();
    t.text('value_json').notNullable();
    t.string('value_fp', 71).notNullable();
    t.bigInteger('observed_ms').notNullable();
    t.bigInteger('collected_ms').notNullable();
    t.integer('fresh_for_s').notNullable();
    t.bigInteger('expires_ms').notNullable();
    t.text('provenance_json').nullable();
    t.string('flags', 128).notNullable().defaultTo('');
    t.boolean('demo').notNullable().defaultTo(false);
    t.bigInteger('updated_ms').notNullable();
  };

  await knex.schema.createTable('evidence_facts', t => {
    factColumns(t);
    t.unique(['subject', 'source', 'kind', 'fact_key'], {
      indexName: 'evidence_facts_natural_key',
    });
    t.index(['entity_ref', 'kind'], 'evidence_facts_entity_kind');
    t.index(['source', 'observed_ms'], 'evidence_facts_source_observed');
  });
  await knex.schema.createTable('evidence_fact_history', t => {
    factColumns(t);
    t.string('granularity', 8).notNullable().defaultTo('raw');
    t.index(
      ['entity_ref', 'kind', 'fact_key', 'observed_ms'],
      'evidence_fact_history_entity',
    );
    t.index(['observed_ms'], 'evidence_fact_history_observed');
  });

  await knex.schema.createTable('evidence_changes', t => {
    t.string('id', 26).primary();
    t.string('subject', 320).notNullable();
    t.string('entity_ref', 320).nullable();
    t.string('alias', 255).nullable();
    t.string('resolution', 12).notNullable();
    t.string('kind', 32).notNullable();
    t.string('environment', 64).notNullable();
    t.string('environment_raw', 64).nullable();
    t.string('ref', 512).notNullable();
    t.string('version', 256).nullable();
    t.string('summary', 200).notNullable();
    t.string('actor_type', 32).notNullable();
    t.string('actor_id', 255).notNullable();
    t.string('source_system', 64).notNullable();
    t.string('external_id', 255).notNullable();
    t.string('source_url', 2048).nullable();
    t.bigInteger('started_ms').notNullable();
    t.bigInteger('finished_ms').nullable();
    t.string('status', 16).notNullable();
    t.bigInteger('effective_ms').notNullable();
    t.bigInteger('received_ms').notNullable();
    t.bigInteger('updated_ms').notNullable();
    // The linked ledger id once the target is known.
    t.string('rollback_of', 26).nullable();
    // The target as the sender named it (canonical JSON of an id string or a natural key), so a
    // later update compares against the sender's own form (evidence-common decideChangeUpdate).
    t.string('rollback_of_ref', 640).nullable();
    t.string('remediation_for', 255).nullable();
    t.string('correlation_id', 255).nullable();
    t.string('artifact_digest', 512).nullable();
    t.text('attributes_json').notNullable();
    t.string('flags', 128).notNullable().defaultTo('');
    t.text('warnings_json').notNullable();
    t.text('risk_json').nullable();
    t.string('idempotency_key', 256).notNullable();
    t.boolean('demo').notNullable().defaultTo(false);
    t.unique(['source_system', 'external_id'], {
      indexName: 'evidence_changes_natural_key',
    });
    t.index(
      ['entity_ref', 'environment', 'effective_ms'],
      'evidence_changes_entity_env',
    );
    t.index(
      ['entity_ref', 'kind', 'status', 'finished_ms'],
      'evidence_changes_entity_kind',
    );
    t.index(['alias'], 'evidence_changes_alias');
    t.index(['rollback_of_ref'], 'evidence_changes_rollback_ref');
    t.index(['correlation_id'], 'evidence_changes_correlation');
  });

  await knex.schema.createTable('evidence_change_coverage', t => {
    t.string('entity_ref', 320).notNullable();
    t.string('kind', 32).notNullable();
    t.string('environment', 64).notNullable();
    t.bigInteger('first_ms').notNullable();
    t.bigInteger('last_ms').notNullable();
    t.integer('count').notNullable();
    t.primary(['entity_ref', 'kind', 'environment']);
  });

  await knex.schema.createTable('evidence_edges', t => {
    t.string('id', 26).primary();
    t.string('source', 128).notNullable();
    t.string('client', 255).notNullable();
    t.string('server', 255).notNullable();
    t.string('connection_type', 32).notNullable().defaultTo('');
    t.string('client_ref', 320).nullable();
    t.string('server_ref', 320).nullable();
    t.string('dependent_ref', 320).nullable();
    t.string('dependency_ref', 320).nullable();
    t.string('interaction', 8).notNullable();
    t.boolean('alias_conflict').notNullable().defaultTo(false);
    t.bigInteger('first_seen_ms').notNullable();
    t.bigInteger('last_seen_ms').notNullable();
    t.bigInteger('collected_ms').notNullable();
    t.double('rpm').nullable();
    t.double('error_ratio').nullable();
    t.bigInteger('seq').notNullable();
    t.boolean('demo').notNullable().defaultTo(false);
    t.unique(['source', 'client', 'server', 'connection_type'], {
      indexName: 'evidence_edges_natural_key',
    });
    t.index(['dependent_ref', 'last_seen_ms'], 'evidence_edges_dependent');
    t.index(['dependency_ref', 'last_seen_ms'], 'evidence_edges_dependency');
    t.index(['seq'], 'evidence_edges_seq');
    t.index(['last_seen_ms'], 'evidence_edges_last_seen');
  });
  await knex.schema.createTable('evidence_edge_tombstones', t => {
    t.string('edge_id', 26).primary();
    t.bigInteger('seq').notNullable();
    t.bigInteger('removed_ms').notNullable();
    t.index(['seq'], 'evidence_edge_tombstones_seq');
  });
  // One counter row per sequence: the row lock taken by its UPDATE serializes edge writers on
  // PostgreSQL until commit, so sequence order equals commit order and a cursor never skips a row.
  await knex.schema.createTable('evidence_sequences', t => {
    t.string('name', 64).primary();
    t.bigInteger('value').notNullable();
  });
  await knex('evidence_sequences').insert({ name: 'edges', value: 0 });

  await knex.schema.createTable('evidence_ci_runs', t => {
    t.string('id', 26).primary();
    t.string('provider', 32).notNullable();
    t.string('run_id', 255).notNullable();
    t.integer('attempt').notNullable();
    t.string('subject', 320).notNullable();
    t.string('entity_ref', 320).nullable();
    t.string('resolution', 12).notNullable();
    t.string('repository', 255).nullable();
    t.string('workflow', 255).notNullable();
    t.string('branch', 255).notNullable();
    t.boolean('is_default_branch').notNullable();
    t.string('commit_sha', 64).notNullable();
    t.string('event', 32).nullable();
    t.string('status', 16).notNullable();
    t.string('conclusion', 16).nullable();
    t.bigInteger('queued_ms').nullable();
    t.bigInteger('started_ms').nullable();
    t.bigInteger('finished_ms').nullable();
    t.string('failure_domain', 16).nullable();
    t.string('correlation_id', 255).nullable();
    t.string('url', 2048).nullable();
    t.string('flags', 128).notNullable().defaultTo('');
    t.bigInteger('received_ms').notNullable();
    t.bigInteger('updated_ms').notNullable();
    t.boolean('demo').notNullable().defaultTo(false);
    t.unique(['provider', 'run_id', 'attempt'], {
      indexName: 'evidence_ci_runs_natural_key',
    });
    t.index(
      ['entity_ref', 'is_default_branch', 'finished_ms'],
      'evidence_ci_runs_entity',
    );
    t.index(
      ['entity_ref', 'workflow', 'commit_sha'],
      'evidence_ci_runs_commit',
    );
  });

  await knex.schema.createTable('evidence_idempotency', t => {
    t.string('scope', 16).notNullable();
    t.string('idem_key', 256).notNullable();
    t.string('fingerprint', 71).notNullable();
    t.smallint('status_code').notNullable();
    t.text('response_json').notNullable();
    t.string('principal', 255).notNullable();
    t.bigInteger('created_ms').notNullable();
    t.bigInteger('expires_ms').notNullable();
    t.primary(['scope', 'idem_key']);
    t.index(['expires_ms'], 'evidence_idempotency_expires');
  });

  await knex.schema.createTable('evidence_source_health', t => {
    t.string('source', 128).primary();
    t.string('status', 16).notNullable();
    t.bigInteger('since_ms').notNullable();
    t.bigInteger('last_attempt_ms').nullable();
    t.bigInteger('last_success_ms').nullable();
    t.string('last_error', 1024).nullable();
    t.boolean('demo').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('evidence_source_health_log', t => {
    t.increments('id');
    t.string('source', 128).notNullable();
    t.string('status', 16).notNullable();
    t.bigInteger('at_ms').notNullable();
    t.string('error', 1024).nullable();
    t.index(['source', 'at_ms'], 'evidence_source_health_log_source');
  });

  await knex.schema.createTable('evidence_collection_status', t => {
    t.string('entity_ref', 320).notNullable();
    t.string('source', 64).notNullable();
    t.bigInteger('last_attempt_ms').notNullable();
    t.bigInteger('last_success_ms').nullable();
    t.string('error', 32).nullable();
    t.string('detail', 1024).nullable();
    t.primary(['entity_ref', 'source']);
    t.index(['source', 'error'], 'evidence_collection_status_error');
  });

  await knex.schema.createTable('evidence_aliases', t => {
    t.string('namespace', 8).notNullable();
    t.string('alias', 255).notNullable();
    t.string('entity_ref', 320).nullable();
    t.string('origin', 16).notNullable();
    t.text('conflict_refs').nullable();
    t.bigInteger('updated_ms').notNullable();
    t.primary(['namespace', 'alias']);
    t.index(['entity_ref'], 'evidence_aliases_entity');
  });

  // Partial indexes (both engines support them): unresolved rows are listed and re-resolved often.
  await knex.raw(
    `CREATE INDEX evidence_facts_unresolved ON evidence_facts (subject) WHERE resolution = 'unresolved'`,
  );
  await knex.raw(
    `CREATE INDEX evidence_changes_unresolved ON evidence_changes (resolution) WHERE resolution = 'unresolved'`,
  );
  await knex.raw(
    `CREATE INDEX evidence_changes_risk_pending ON evidence_changes (received_ms) WHERE risk_json IS NULL`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'evidence_aliases',
    'evidence_collection_status',
    'evidence_source_health_log',
    'evidence_source_health',
    'evidence_idempotency',
    'evidence_ci_runs',
    'evidence_sequences',
    'evidence_edge_tombstones',
    'evidence_edges',
    'evidence_change_coverage',
    'evidence_changes',
    'evidence_fact_history',
    'evidence_facts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
