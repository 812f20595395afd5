/**
 * supply-ledger's public API: what an application imports.
 *
 * @example
 * import pg from 'pg';
 * import { createClientPool, deploy, postMovement, postTransfer, projectMigrationTarget, traceForward, withClient } from 'supply-ledger';
 *
 * // An operator deploys, as a role that may (a superuser, or a member of supply_ledger_owner).
 * const admin = new pg.Client({ connectionString: process.env.ADMIN_DATABASE_URL });
 * await admin.connect();
 * await deploy(admin, projectMigrationTarget(process.env.ADMIN_DATABASE_URL!)); // the package's own migrations
 * await admin.end();
 *
 * // An application connects as supply_ledger_app and works for one client at a time.
 * const pool = createClientPool(process.env.DATABASE_URL!, clientId);
 * await postMovement(pool, { type: 'RECEIPT', productId: 7, warehouseId: 1, quantity: '10', unitCost: '50.00' });
 * await withClient(sharedPool, clientId, (tx) => postTransfer(tx, { productId: 7, fromWarehouseId: 1, toWarehouseId: 2, quantity: '4', transferId }));
 * const { rows } = await traceForward(pool, 'TLC-EGG-001');
 *
 * Every query on a client's data names its client: a pool made for one
 * ({@link createClientPool}), or a transaction working for one ({@link withClient}); row-level
 * security does the rest, and with no client a query sees nothing.
 * Writing APIs either run inside the caller's transaction (they take a transaction from
 * {@link withClient}) or open their own (they take a client's pool); see src/db/transaction.ts. Errors are classes with fields (src/errors.ts and each domain's errors).
 */

// Reaching the database, transactions, Prisma.
export { connect, createPool, quoteIdent, redact, urlForDatabase, urlForRole } from './db/connect.ts';
export { type DatabaseOptions, type ResolvedDatabase, resolveDatabase, withConnection, withDatabase, withPool } from './db/database.ts';
export { type Queryable, type Transaction, type TransactionOptions, transaction } from './db/transaction.ts';
export { DEFAULT_RETRY, type LockRetry, type RetryPolicy, isLockConflict, retryOnLockConflict } from './db/retry.ts';
export { type ClientPrismaClient, type PrismaClient, createPrismaClient, forClient } from './db/prisma.ts';

// One client at a time (row-level security; docs/design/tenancy.md).
export {
  CLIENT_SETTING,
  type ClientId,
  type ClientPool,
  type ClientScoped,
  type ClientTransaction,
  clientIdByCode,
  createClientPool,
  withClient,
} from './db/tenancy.ts';

// Errors.
export { ConfigurationError, ConnectionError, EmbeddedServerError, InvalidArgumentError, SupplyLedgerError } from './errors.ts';
export {
  type DatabaseFailure,
  LockTimeoutError,
  type MigrationFile,
  MigrationFailedError,
  MigrationLockBusyError,
  MigrationScriptError,
  MigrationStateError,
  type MigrationStateReason,
  MigrationValidationError,
  MigrationsFolderError,
  type ValidationOutcome,
} from './migrate/errors.ts';
export { BackfillClientError, BackfillNotDeployedError, BackfillRoleError, BackfillVerificationError } from './backfill/errors.ts';
export { AmbiguousCodeError, UnknownCodeError } from './traceability/errors.ts';

// The schema's enums, as the generated Prisma client defines them (values and types).
export {
  BatchStatus,
  CostMethod,
  IngredientType,
  LotStatus,
  MovementType,
  PalletStatus,
  QualityStatus,
  ReferenceDocumentType,
  ReferenceType,
  StockCountStatus,
} from './generated/prisma/enums.ts';

// Catalog and inventory.
export { type ProductMatch, type ProductSearch, searchProducts } from './catalog/search.ts';
export { type ProductTiming, productTiming } from './catalog/timing.ts';
export { UnknownProductError } from './catalog/errors.ts';
export {
  type Decimal,
  type Id,
  type MovementInput,
  type PostedMovement,
  type StockLevel,
  postMovement,
  postTransfer,
  stockLevel,
} from './inventory/ledger.ts';
export {
  LOW_STOCK_STATUSES,
  type LowStockAlert,
  type LowStockStatus,
  type WarehouseValuation,
  lowStockAlerts,
  refreshInventoryViews,
  valuationByWarehouse,
} from './inventory/views.ts';

// Inventory finance.
export { type BudgetVariance, type CostTrackingOptions, budgetVariance, refreshCostTracking } from './finance/costs.ts';

// Fulfillment: shipments and carrier tracking.
export { OverShippingError, StaleLayoutError, UnknownShipmentError } from './fulfillment/errors.ts';
export { type Widget, saveDashboardLayout } from './fulfillment/dashboard.ts';
export {
  type CarrierEventInput,
  type ShipmentState,
  type ShipmentStatus,
  type TrackingEvent,
  addShipmentItem,
  ingestCarrierEvents,
  postShipment,
  shipmentHistory,
  shipmentState,
} from './fulfillment/shipments.ts';

// Lot traceability.
export {
  type BackwardRow,
  type ForwardRow,
  type FsmaRow,
  NODE_KINDS,
  type NodeKind,
  type NodeStatus,
  type RecallRow,
  type TraceNodeRef,
  fsmaExport,
  recallReport,
  resolveCode,
  traceBackward,
  traceForward,
} from './traceability/trace.ts';
export { fsmaCsv, renderTree } from './traceability/render.ts';

// Relief replenishment (issue 12).
export {
  type NeedsList,
  type NeedsListItem,
  computeNeedsList,
  dispatchTransfer,
  eventIdByCode,
  needsList,
  receiveTransfer,
  warehouseIdByCode,
} from './replenishment/needs-list.ts';
export { DEFAULT_LIST_CONCURRENCY, type EventNeedsListSummary, computeEventNeedsLists } from './replenishment/event-lists.ts';
export { type InboundStock, type StockStatus, inboundStock, stockStatus } from './replenishment/views.ts';
export { type ReceiptInput, type ReceiptLine, type ReceiptResult, receiveDonation, receiveProcurement } from './replenishment/receipts.ts';
export { type ReliefReceiptRefusal, ReliefReceiptError, TransferReceiptError, UnknownReliefObjectError } from './replenishment/errors.ts';

// Backfills.
export { BACKFILLS } from './backfill/definitions.ts';
export {
  type BackfillDefinition,
  type BackfillOptions,
  type BackfillSummary,
  type ClientBackfillSummary,
  runBackfill,
} from './backfill/runner.ts';

// Verified backups (issue 13).
export {
  type BackupRecord,
  type CreateBackupOptions,
  type RowCounts,
  createBackup,
  listBackups,
  restoreBackup,
  verifyArchive,
  verifyBackup,
} from './backup/backup.ts';
export { type DeployWithBackupResult, deployWithBackup } from './backup/deploy.ts';
export { BackupStateError, BackupToolError, BackupVerificationError, PgToolVersionError } from './backup/errors.ts';
export { type PgTool, findPgTool } from './backup/tools.ts';

// The migration runner.
export { type DeployOptions, type DeployResult, deploy } from './migrate/deploy.ts';
export { type DeployPlan, type PlannedMigration, type PlannedStatement, planDeploy } from './migrate/plan.ts';
export { type HistoryStatus, type MigrationState, migrationStatus } from './migrate/status.ts';
export { type ObjectDrift, type SchemaDrift, schemaDrift } from './migrate/fingerprint.ts';
export { type ResolveOptions, resolveApplied, resolveRolledBack } from './migrate/resolve.ts';
export { type RollbackOptions, rollback } from './migrate/rollback.ts';
export { type VerifyResult, verify } from './migrate/verify.ts';
export type { Emit, RunnerEvent } from './migrate/events.ts';
export type { MigrationTarget } from './migrate/target.ts';
export { DEFAULT_SETTINGS, type RunnerSettings } from './migrate/settings.ts';
export { migrationRole } from './migrate/apply.ts';
export { MIGRATIONS_DIR, SCHEMA_PATH, projectMigrationTarget } from './project.ts';

// Demo data.
export { SEED_STEPS, seed } from './seed/index.ts';
