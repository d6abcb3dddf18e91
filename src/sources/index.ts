/**
 * mixedmodels/sources (Node only): fit models to data where they live.
 *
 *   const model = await fitSource('postgresql://me@db/clicks', 'y ~ x + (1 | g)', { table: 'events' });
 *   const source = await connect('logs/*.parquet');          // a Source: SQL through a Dialect and a client
 *
 * A new engine is a Dialect (how it quotes, casts and names functions) and a
 * SqlClient (how it runs a statement and returns columns); `sourceFromClient`
 * makes a Source of them, which fitSource's pushdown then uses like the others
 * (see the README, "Adding an engine").
 */
export { connect, wrap as sourceFromClient, type ConnectOptions } from './connect.js';
export { fitSource, type PushdownMode, type SourceFitOptions } from './fitSource.js';
export { readSource, type ReadSourceOptions } from './readSource.js';
export { readRelation } from './readRelation.js';
export { lmerFromSource } from './lmm/lmerSource.js';
export { glmerFromSource } from './glmm/glmerSource.js';
export { sqlFrame, type SqlFrame } from './frame/sqlFrame.js';
export { PushdownUnsupported } from './frame/unsupported.js';
export { duckdbDialect } from './dialects/duckdb.js';
export { postgresDialect } from './dialects/postgres.js';
export { clickhouseDialect } from './dialects/clickhouse.js';
export { DuckDBClient } from './clients/duckdb.js';
export { PostgresClient } from './clients/postgres.js';
export { ClickHouseClient } from './clients/clickhouse.js';
export type { Dialect } from './dialect.js';
export type { AttachedTable, ColumnInfo, ColumnKind, EngineName, ResultColumns, Source, SourceStats, SqlClient } from './source.js';
