/** Variables through which the global setup tells workers where their databases are. */
export const TEST_ENV = {
  /** A URL on the test server for administrative connections (CREATE/DROP DATABASE). */
  SERVER_URL: 'SUPPLY_LEDGER_TEST_SERVER_URL',
  /** The migrated template database's name. */
  TEMPLATE: 'SUPPLY_LEDGER_TEST_TEMPLATE',
  /** The Jest main process's pid: part of every database name of this run. */
  RUN_PID: 'SUPPLY_LEDGER_TEST_RUN_PID',
} as const;
