/** Versioned migrations, in order. Names are the version; never rename or reorder them. */
import type { Migration, MigrationProvider } from 'kysely';
import type { StoreKind } from '../../../shared/events';
import { seedTablesMigration } from './0001-seed-tables';
import { relayTablesMigration } from './0002-relay-tables';
import { alertsUsersAuditMigration } from './0003-alerts-users-audit';
import { interlockTcsMigration } from './0004-interlock-tcs';
import { userTokenGenerationMigration } from './0005-user-token-generation';
import { feedHealthPhotoReadsMigration } from './0006-feed-health-photo-reads';
import { relayLeaseMigration } from './0007-relay-lease';
import { twoFactorMigration } from './0010-two-factor';
import { replayFramesMigration } from './0008-replay-frames';
import { interlockRegistryMigration } from './0009-interlock-registry';
import { auditFilterIndexesMigration } from './0011-audit-filter-indexes';

export function migrationProvider(kind: StoreKind): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_seed_tables': seedTablesMigration(kind),
        '0002_relay_tables': relayTablesMigration(kind),
        '0003_alerts_users_audit': alertsUsersAuditMigration(kind),
        '0004_interlock_tcs': interlockTcsMigration(kind),
        '0005_user_token_generation': userTokenGenerationMigration(),
        '0006_feed_health_photo_reads': feedHealthPhotoReadsMigration(kind),
        '0007_relay_lease': relayLeaseMigration(kind),
        '0010_two_factor': twoFactorMigration(kind),
        '0008_replay_frames': replayFramesMigration(kind),
        '0009_interlock_registry': interlockRegistryMigration(kind),
        '0011_audit_filter_indexes': auditFilterIndexesMigration(),
      };
    },
  };
}
