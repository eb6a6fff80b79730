/**
 * The principal the demo seeder's writes are recorded under: the only ingestion that makes demo
 * rows (collectors' writes are flagged by the store while the demo is on).
 */
export const DEMO_PRINCIPAL = 'plugin:evidence';
