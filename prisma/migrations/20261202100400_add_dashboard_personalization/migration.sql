/*
 * add_dashboard_personalization (seed 004, 20251215000004): saved dashboard layouts and preferences
 * of a client's users (fulfillment.app_user).
 *
 * - fulfillment.dashboard_layout: several per user (name unique per user); at most one default per
 *   user (partial unique index dashboard_layout_one_default_per_user_key, the guide's
 *   dashboard_layouts_user_id_is_default_idx made unique) and exactly one once the user has layouts
 *   (a deferred constraint trigger, checked at commit, so that moving the default is two UPDATEs in one
 *   transaction). The layout JSON's shape is validated in the database by a CHECK calling
 *   fulfillment.is_valid_dashboard_layout(layout, grid_columns): an object with a "widgets" array of
 *   at most 50 objects, each with a string "id" (unique in the layout) and "type", integer x, y >= 0,
 *   w, h >= 1, x + w <= grid_columns, y + h <= 200, an optional object "settings", no other keys;
 *   at most 65,535 bytes (Superset's limit). layout_schema_version and grid_columns (12, 24 or 48) are
 *   stored on the row, so a grid migration rewrites old layouts once (Metabase #3677).
 *   Optimistic saves: a save sets version to the version it read + 1; the BEFORE UPDATE trigger
 *   refuses any other value (23514 dashboard_layout_version_check): a stale save is refused, not lost.
 * - fulfillment.user_preference: one per user, every column with a default; fulfillment.v_user_preference
 *   gives every user the defaults where they have not set anything.
 *
 * The guide's DashboardLayout → User and UserPreferences → User CASCADE are kept (composite keys:
 * rows that mean nothing without their user). The guide's update_*_updated_at functions are the
 * shared audit.tg__set_updated_at (docs/CONVENTIONS.md). Tables singular: dashboard_layouts is
 * dashboard_layout, user_preferences user_preference.
 *
 * Locks: SHARE ROW EXCLUSIVE on fulfillment.app_user for the foreign keys (the new tables are empty).
 * Expected runtime: instant. Rollback: down.sql (rows kept in backup.*). Checks: validate.sql.
 */

-- CreateTable
CREATE TABLE "fulfillment"."dashboard_layout" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "app_user_id" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "layout" JSONB NOT NULL DEFAULT '{"widgets": []}',
    "layout_schema_version" INTEGER NOT NULL DEFAULT 1,
    "grid_columns" INTEGER NOT NULL DEFAULT 24,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dashboard_layout_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateTable
CREATE TABLE "fulfillment"."user_preference" (
    "id" BIGSERIAL NOT NULL,
    "client_id" BIGINT NOT NULL DEFAULT (NULLIF(current_setting('app.client_id'::text, true), ''::text))::bigint,
    "app_user_id" BIGINT NOT NULL,
    "compact_mode" BOOLEAN NOT NULL DEFAULT false,
    "color_scheme" TEXT NOT NULL DEFAULT 'SYSTEM',
    "default_view" TEXT NOT NULL DEFAULT 'OVERVIEW',
    "realtime_updates" BOOLEAN NOT NULL DEFAULT true,
    "refresh_interval_seconds" INTEGER NOT NULL DEFAULT 60,
    "notification_settings" JSONB NOT NULL DEFAULT '{"email": true, "in_app": true}',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_preference_pkey" PRIMARY KEY ("client_id","id")
);
-- CreateIndex
CREATE UNIQUE INDEX "dashboard_layout_client_id_app_user_id_name_key" ON "fulfillment"."dashboard_layout"("client_id", "app_user_id", "name");
-- CreateIndex
CREATE UNIQUE INDEX "user_preference_client_id_app_user_id_key" ON "fulfillment"."user_preference"("client_id", "app_user_id");
-- AddForeignKey
ALTER TABLE "fulfillment"."dashboard_layout" ADD CONSTRAINT "dashboard_layout_app_user_id_fkey" FOREIGN KEY ("client_id", "app_user_id") REFERENCES "fulfillment"."app_user"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."dashboard_layout" ADD CONSTRAINT "dashboard_layout_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."user_preference" ADD CONSTRAINT "user_preference_app_user_id_fkey" FOREIGN KEY ("client_id", "app_user_id") REFERENCES "fulfillment"."app_user"("client_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;
-- AddForeignKey
ALTER TABLE "fulfillment"."user_preference" ADD CONSTRAINT "user_preference_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "core"."client"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- [CUSTOM_CHANGE_START] layout shape, default, version
-- Prisma has no CHECK constraints, partial unique indexes, functions or triggers.
CREATE FUNCTION fulfillment.is_valid_dashboard_layout(layout jsonb, grid_columns integer)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT jsonb_typeof(layout) = 'object'
     AND octet_length(layout::text) <= 65535
     AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(layout) AS k WHERE k <> 'widgets')
     AND jsonb_typeof(layout -> 'widgets') = 'array'
     AND jsonb_array_length(layout -> 'widgets') <= 50
     AND NOT EXISTS (
       SELECT 1 FROM jsonb_array_elements(layout -> 'widgets') AS w(widget)
        WHERE jsonb_typeof(w.widget) <> 'object'
           OR EXISTS (SELECT 1 FROM jsonb_object_keys(w.widget) AS k WHERE k NOT IN ('id', 'type', 'x', 'y', 'w', 'h', 'settings'))
           OR jsonb_typeof(w.widget -> 'id') IS DISTINCT FROM 'string' OR jsonb_typeof(w.widget -> 'type') IS DISTINCT FROM 'string'
           OR (w.widget ? 'settings' AND jsonb_typeof(w.widget -> 'settings') <> 'object')
           -- CASE: the casts run only on what was checked to be a small non-negative integer.
           OR CASE WHEN EXISTS (SELECT 1 FROM unnest(ARRAY['x', 'y', 'w', 'h']) AS c(key)
                                 WHERE jsonb_typeof(w.widget -> c.key) IS DISTINCT FROM 'number' OR (w.widget ->> c.key) !~ '^[0-9]{1,4}$')
                   THEN true
                   ELSE NOT ((w.widget ->> 'w')::integer >= 1 AND (w.widget ->> 'h')::integer >= 1
                             AND (w.widget ->> 'x')::integer + (w.widget ->> 'w')::integer <= grid_columns
                             AND (w.widget ->> 'y')::integer + (w.widget ->> 'h')::integer <= 200) END)
     AND (SELECT count(DISTINCT w.widget ->> 'id') = count(*) FROM jsonb_array_elements(layout -> 'widgets') AS w(widget))
$$;

ALTER TABLE "fulfillment"."dashboard_layout" ADD CONSTRAINT "dashboard_layout_shape_check" CHECK (fulfillment.is_valid_dashboard_layout(layout, grid_columns));
ALTER TABLE "fulfillment"."dashboard_layout" ADD CONSTRAINT "dashboard_layout_grid_columns_check" CHECK (grid_columns IN (12, 24, 48));
ALTER TABLE "fulfillment"."dashboard_layout" ADD CONSTRAINT "dashboard_layout_schema_version_check" CHECK (layout_schema_version >= 1 AND version >= 1);
ALTER TABLE "fulfillment"."user_preference" ADD CONSTRAINT "user_preference_color_scheme_check" CHECK (color_scheme IN ('LIGHT', 'DARK', 'SYSTEM'));
ALTER TABLE "fulfillment"."user_preference" ADD CONSTRAINT "user_preference_refresh_interval_check" CHECK (refresh_interval_seconds BETWEEN 5 AND 3600);
ALTER TABLE "fulfillment"."user_preference" ADD CONSTRAINT "user_preference_notification_settings_check" CHECK (jsonb_typeof(notification_settings) = 'object');

-- At most one default per user.
CREATE UNIQUE INDEX "dashboard_layout_one_default_per_user_key" ON "fulfillment"."dashboard_layout"("client_id", "app_user_id") WHERE is_default;

CREATE FUNCTION fulfillment.tg_dashboard_layout__check_version()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  IF NEW.version <> OLD.version + 1 THEN
    RAISE EXCEPTION 'dashboard layout %: saved as version % over version %: a save sets the version it read + 1 (stale save refused)', OLD.id, NEW.version, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'dashboard_layout_version_check';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER _100_check_version BEFORE UPDATE ON "fulfillment"."dashboard_layout"
  FOR EACH ROW EXECUTE FUNCTION fulfillment.tg_dashboard_layout__check_version();

-- Exactly one default once a user has layouts: checked at commit, per user touched.
CREATE FUNCTION fulfillment.tg_dashboard_layout__one_default()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  row_ fulfillment.dashboard_layout := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  defaults integer;
  layouts integer;
BEGIN
  SELECT count(*) FILTER (WHERE is_default), count(*) INTO defaults, layouts
    FROM fulfillment.dashboard_layout WHERE client_id = row_.client_id AND app_user_id = row_.app_user_id;
  IF layouts > 0 AND defaults <> 1 THEN
    RAISE EXCEPTION 'user %: % layouts and % defaults; exactly one layout is the default', row_.app_user_id, layouts, defaults
      USING ERRCODE = 'check_violation', CONSTRAINT = 'dashboard_layout_one_default_check';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER dashboard_layout_one_default_check AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."dashboard_layout"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fulfillment.tg_dashboard_layout__one_default();

CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "fulfillment"."dashboard_layout" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _500_set_updated_at BEFORE UPDATE ON "fulfillment"."user_preference" FOR EACH ROW EXECUTE FUNCTION audit.tg__set_updated_at();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."dashboard_layout" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."user_preference" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();

CREATE VIEW fulfillment.v_user_preference WITH (security_invoker = true) AS
SELECT u.client_id, u.id AS app_user_id,
       coalesce(p.compact_mode, false) AS compact_mode,
       coalesce(p.color_scheme, 'SYSTEM') AS color_scheme,
       coalesce(p.default_view, 'OVERVIEW') AS default_view,
       coalesce(p.realtime_updates, true) AS realtime_updates,
       coalesce(p.refresh_interval_seconds, 60) AS refresh_interval_seconds,
       coalesce(p.notification_settings, '{"email": true, "in_app": true}'::jsonb) AS notification_settings,
       coalesce(p.timezone, 'UTC') AS timezone,
       p.id IS NOT NULL AS is_customised
  FROM fulfillment.app_user u
  LEFT JOIN fulfillment.user_preference p ON p.client_id = u.client_id AND p.app_user_id = u.id;
REVOKE INSERT, UPDATE, DELETE ON fulfillment.v_user_preference FROM supply_ledger_app;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] tenancy: row-level security
-- Prisma has no row-level security (grants: the schema's default privileges).
ALTER TABLE "fulfillment"."dashboard_layout" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fulfillment"."dashboard_layout" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fulfillment"."dashboard_layout" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "fulfillment"."dashboard_layout" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
ALTER TABLE "fulfillment"."user_preference" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fulfillment"."user_preference" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fulfillment"."user_preference" FOR ALL USING (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint) WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::bigint);
COMMENT ON POLICY tenant_isolation ON "fulfillment"."user_preference" IS 'Rows of the client app.client_id names: visible and writable; nothing without one.';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] comments
-- Prisma has no comments.
COMMENT ON TABLE "fulfillment"."dashboard_layout" IS 'Saved dashboard layouts of a user: widget grid JSON validated by fulfillment.is_valid_dashboard_layout, exactly one default per user, version for optimistic saves.';
COMMENT ON TABLE "fulfillment"."user_preference" IS 'A user''s dashboard preferences (one row per user, defaults in every column); fulfillment.v_user_preference fills in defaults.';
COMMENT ON VIEW fulfillment.v_user_preference IS 'Every user of the client with their preferences, the defaults where they set nothing (is_customised false).';
COMMENT ON FUNCTION fulfillment.is_valid_dashboard_layout(jsonb, integer) IS 'Whether a layout has the stored shape: {"widgets": [...]} of at most 50 widgets with unique string id, string type, integer x, y, w, h inside the grid (x + w <= grid_columns, y + h <= 200), optional object settings, no other keys, at most 65535 bytes.';
COMMENT ON FUNCTION fulfillment.tg_dashboard_layout__check_version() IS 'BEFORE UPDATE on dashboard_layout: a save sets version = the version it read + 1; anything else is a stale save, refused (23514 dashboard_layout_version_check).';
COMMENT ON FUNCTION fulfillment.tg_dashboard_layout__one_default() IS 'Deferred constraint trigger on dashboard_layout: at commit, a user with layouts has exactly one default (23514 dashboard_layout_one_default_check).';
-- [CUSTOM_CHANGE_END]
