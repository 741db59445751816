import type { ServerMigration } from '../migrate';

// Personal API tokens (DESIGN §10) live in access_tokens beside login sessions, so every dialect's
// authenticator accepts both; `kind` keeps them apart: the sessions list (signed-in devices) shows
// only logins, the tokens list only personal tokens, and "sign out other devices" leaves the
// tokens an integration holds alone. Rows from before this step are logins.

export const migration008: ServerMigration = {
  version: 8,
  name: 'personal-tokens',
  up(db) {
    db.exec(`
      ALTER TABLE access_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'personal'));
      CREATE INDEX access_tokens_user_kind ON access_tokens(user_id, kind);
    `);
  },
  postgres: `
    ALTER TABLE access_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'personal'));
    CREATE INDEX access_tokens_user_kind ON access_tokens(user_id, kind);
  `,
};
