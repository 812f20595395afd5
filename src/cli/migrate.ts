import { connect, defaultSchema } from '../db/connect.ts';
import { withResolvedDatabase } from '../db/resolve.ts';
import { type DeployEvent, type DeployResult, deploy } from '../migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../project.ts';

/** `migrate deploy`: applies pending migrations to the resolved database, printing progress. */
export async function migrateDeploy(): Promise<void> {
  const result = await withResolvedDatabase(deployTo);
  console.log(deploySummary(result));
}

/** Deploys the project's migrations to `url`, printing one line per migration. */
export async function deployTo(url: string): Promise<DeployResult & { serverVersion: string }> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const result = await deploy(client, {
      migrationsDir: MIGRATIONS_DIR,
      historySchema: defaultSchema(url),
      onEvent: printDeployEvent,
    });
    return { ...result, serverVersion: rows[0]?.server_version ?? 'unknown' };
  } finally {
    await client.end();
  }
}

export function deploySummary(result: DeployResult): string {
  const appliedNow = result.applied.length;
  return `${appliedNow} migration${appliedNow === 1 ? '' : 's'} applied now, ${result.total} applied in total, 0 pending`;
}

let lockWaitReported = false;

function printDeployEvent(event: DeployEvent): void {
  switch (event.type) {
    case 'lock-wait':
      if (!lockWaitReported) console.log('waiting for another migration run to release the migration lock...');
      lockWaitReported = true;
      break;
    case 'migration-start':
      console.log(`applying ${event.name}`);
      break;
    case 'migration-finish':
      console.log(`applied  ${event.name} in ${Math.round(event.durationMs)} ms`);
      break;
    case 'migration-fail':
      console.log(`failed   ${event.name} after ${Math.round(event.durationMs)} ms`);
      break;
  }
}
