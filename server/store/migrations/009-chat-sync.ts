import type { ServerMigration } from '../migrate';

// What a desk needs to catch up with only what changed: every chat carries a `sync_key` that grows
// with every change to anything its list row shows (the row itself, a message edited or hidden, a
// participant added, its contact, assignee, source or department renamed), and `chat_exits` keeps
// who could see a chat before it moved to another source or department, or was deleted, so a
// former viewer learns that it left their view and nobody else learns that it exists.
//
// Triggers stamp the key, so no write path of any dialect can forget it. A reader takes a horizon
// before it reads: every change with a key below it was committed before the read, and the next
// read asks for keys from that horizon on (a change seen twice is harmless, one never seen is not).
//
// SQLite has one writer at a time: a counter bumped inside the writing transaction orders keys as
// commits happen; the horizon is the counter + 1. PostgreSQL writers run side by side, so a smaller
// key may commit after a larger one: the key is the writing transaction's id and the horizon the
// oldest transaction still running when the read began (the snapshot's xmin).

const SQLITE_TOUCH = 'UPDATE chats SET sync_key = sync_key';

export const migration009: ServerMigration = {
  version: 9,
  name: 'chat-sync',
  up(db) {
    db.exec(`
      CREATE TABLE sync_clock (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
      INSERT INTO sync_clock (id, value) VALUES (1, 0);
      ALTER TABLE chats ADD COLUMN sync_key INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX chats_sync_key ON chats(sync_key, id);
      CREATE TABLE chat_exits (
        sync_key INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        department_id INTEGER,
        participant_ids TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX chat_exits_key ON chat_exits(sync_key);

      CREATE TRIGGER chats_sync_insert AFTER INSERT ON chats BEGIN
        UPDATE sync_clock SET value = value + 1 WHERE id = 1;
        UPDATE chats SET sync_key = (SELECT value FROM sync_clock WHERE id = 1) WHERE id = NEW.id;
      END;
      -- The inner UPDATE changes sync_key, so it does not stamp again.
      CREATE TRIGGER chats_sync_update AFTER UPDATE ON chats WHEN NEW.sync_key = OLD.sync_key BEGIN
        UPDATE sync_clock SET value = value + 1 WHERE id = 1;
        INSERT INTO chat_exits (sync_key, chat_id, source_id, department_id, participant_ids)
          SELECT (SELECT value FROM sync_clock WHERE id = 1), OLD.id, OLD.source_id, OLD.department_id,
            COALESCE((SELECT group_concat(user_id, ',') FROM chat_participants WHERE chat_id = OLD.id), '')
          WHERE OLD.source_id IS NOT NEW.source_id OR OLD.department_id IS NOT NEW.department_id;
        UPDATE chats SET sync_key = (SELECT value FROM sync_clock WHERE id = 1) WHERE id = NEW.id;
      END;
      CREATE TRIGGER chats_sync_delete BEFORE DELETE ON chats BEGIN
        UPDATE sync_clock SET value = value + 1 WHERE id = 1;
        INSERT INTO chat_exits (sync_key, chat_id, source_id, department_id, participant_ids, deleted)
          VALUES ((SELECT value FROM sync_clock WHERE id = 1), OLD.id, OLD.source_id, OLD.department_id,
            COALESCE((SELECT group_concat(user_id, ',') FROM chat_participants WHERE chat_id = OLD.id), ''), 1);
      END;
      CREATE TRIGGER messages_sync_update AFTER UPDATE OF text, is_hidden ON messages BEGIN
        ${SQLITE_TOUCH} WHERE id = NEW.chat_id;
      END;
      CREATE TRIGGER participants_sync_insert AFTER INSERT ON chat_participants BEGIN
        ${SQLITE_TOUCH} WHERE id = NEW.chat_id;
      END;
      CREATE TRIGGER contacts_sync_update AFTER UPDATE ON contacts BEGIN
        ${SQLITE_TOUCH} WHERE contact_id = NEW.id;
      END;
      CREATE TRIGGER users_sync_update AFTER UPDATE OF name ON users BEGIN
        ${SQLITE_TOUCH} WHERE assigned_to = NEW.id;
      END;
      CREATE TRIGGER sources_sync_update AFTER UPDATE OF name, type ON sources BEGIN
        ${SQLITE_TOUCH} WHERE source_id = NEW.id;
      END;
      CREATE TRIGGER departments_sync_update AFTER UPDATE OF name ON departments BEGIN
        ${SQLITE_TOUCH} WHERE department_id = NEW.id;
      END;
    `);
  },
  postgres: `
    ALTER TABLE chats ADD COLUMN sync_key BIGINT NOT NULL DEFAULT 0;
    CREATE INDEX chats_sync_key ON chats (sync_key, id);
    CREATE TABLE chat_exits (
      sync_key BIGINT NOT NULL,
      chat_id BIGINT NOT NULL,
      source_id BIGINT NOT NULL,
      department_id BIGINT,
      participant_ids TEXT NOT NULL,
      deleted SMALLINT NOT NULL DEFAULT 0
    );
    CREATE INDEX chat_exits_key ON chat_exits (sync_key);

    CREATE FUNCTION chats_sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.sync_key := pg_current_xact_id()::text::bigint;
      IF TG_OP = 'UPDATE' AND (OLD.source_id IS DISTINCT FROM NEW.source_id OR OLD.department_id IS DISTINCT FROM NEW.department_id) THEN
        INSERT INTO chat_exits (sync_key, chat_id, source_id, department_id, participant_ids)
          VALUES (NEW.sync_key, OLD.id, OLD.source_id, OLD.department_id,
            COALESCE((SELECT string_agg(user_id::text, ',') FROM chat_participants WHERE chat_id = OLD.id), ''));
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER chats_sync_stamp BEFORE INSERT OR UPDATE ON chats FOR EACH ROW EXECUTE FUNCTION chats_sync_stamp();

    CREATE FUNCTION chats_sync_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO chat_exits (sync_key, chat_id, source_id, department_id, participant_ids, deleted)
        VALUES (pg_current_xact_id()::text::bigint, OLD.id, OLD.source_id, OLD.department_id,
          COALESCE((SELECT string_agg(user_id::text, ',') FROM chat_participants WHERE chat_id = OLD.id), ''), 1);
      RETURN OLD;
    END $$;
    CREATE TRIGGER chats_sync_delete BEFORE DELETE ON chats FOR EACH ROW EXECUTE FUNCTION chats_sync_delete();

    -- Touches the chats a changed row of another table shows in: the stamp trigger sets their key.
    CREATE FUNCTION chats_sync_touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      CASE TG_TABLE_NAME
        WHEN 'messages', 'chat_participants' THEN UPDATE chats SET sync_key = 0 WHERE id = NEW.chat_id;
        WHEN 'contacts' THEN UPDATE chats SET sync_key = 0 WHERE contact_id = NEW.id;
        WHEN 'users' THEN UPDATE chats SET sync_key = 0 WHERE assigned_to = NEW.id;
        WHEN 'sources' THEN UPDATE chats SET sync_key = 0 WHERE source_id = NEW.id;
        WHEN 'departments' THEN UPDATE chats SET sync_key = 0 WHERE department_id = NEW.id;
      END CASE;
      RETURN NULL;
    END $$;
    CREATE TRIGGER messages_sync_update AFTER UPDATE OF text, is_hidden ON messages FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
    CREATE TRIGGER participants_sync_insert AFTER INSERT ON chat_participants FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
    CREATE TRIGGER contacts_sync_update AFTER UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
    CREATE TRIGGER users_sync_update AFTER UPDATE OF name ON users FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
    CREATE TRIGGER sources_sync_update AFTER UPDATE OF name, type ON sources FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
    CREATE TRIGGER departments_sync_update AFTER UPDATE OF name ON departments FOR EACH ROW EXECUTE FUNCTION chats_sync_touch();
  `,
};
