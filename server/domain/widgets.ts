import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store, StoreQueries } from '../store/contract';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from './errors';
import { generatePublicToken } from './public-tokens';
import type { SourceRecord, UserRecord } from './records';
import { isAdmin, isOperator } from './roles';
import { canSeeSource } from './visibility';
import { applyWidgetSettings, DEFAULT_WIDGET_SETTINGS, readWidgetSettings, type WidgetSettingsPatch } from './widget-settings';

// Widgets (sources of type `widget`): moderators read the ones of their sources, administrators
// manage them. A widget's token is what its embed snippet carries; regenerating it retires the old
// snippet at once.

const ADMINS_ONLY = 'Only administrators may manage widgets.';

export interface WidgetChange {
  name?: string;
  settings: WidgetSettingsPatch;
  /** Give the widget a new public token. */
  regenerateToken?: boolean;
}

/** A widget the user sees (an admin: any; a moderator: their sources'); others do not exist for them. */
export async function visibleWidget(store: StoreQueries, user: UserRecord, id: number): Promise<SourceRecord> {
  const widget = await store.widgets.byId(id);
  if (!widget || !canSeeSource(user, widget.id)) throw new NotVisibleError('resource');
  return widget;
}

/** The default operator of a widget's new spaces must be an active operator who would see them. */
async function checkResponsible(tx: StoreQueries, responsibleId: number | null | undefined, widgetId: number | null): Promise<void> {
  if (responsibleId === null || responsibleId === undefined) return;
  const user = await tx.users.byId(responsibleId);
  const fits = user !== undefined && user.is_active && isOperator(user) && (isAdmin(user) || (widgetId !== null && canSeeSource(user, widgetId)));
  if (!fits) throw InvalidFieldError.field('responsible_id', 'The selected responsible id is invalid.');
}

export class WidgetService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(user: UserRecord, name: string, settings: WidgetSettingsPatch): Promise<SourceRecord> {
    if (!isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
    const id = await this.store.transaction(async (tx) => {
      await checkResponsible(tx, settings.responsible_id, null);
      const full = applyWidgetSettings(DEFAULT_WIDGET_SETTINGS, settings);
      // A widget takes no signed webhook; its secret exists only because every source has one, and nobody holds it.
      return tx.widgets.create({ name, webhookSecret: randomBytes(32).toString('hex'), publicToken: generatePublicToken(), settings: full }, this.clock.now());
    });
    return visibleWidget(this.store, user, id);
  }

  async update(user: UserRecord, id: number, change: WidgetChange): Promise<SourceRecord> {
    await this.store.transaction(async (tx) => {
      const widget = await visibleWidget(tx, user, id);
      if (!isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
      await checkResponsible(tx, change.settings.responsible_id, widget.id);
      const settings = applyWidgetSettings(readWidgetSettings(widget.settings), change.settings);
      await tx.widgets.update(
        id,
        { name: change.name, settings, publicToken: change.regenerateToken ? generatePublicToken() : undefined },
        this.clock.now(),
      );
    });
    return visibleWidget(this.store, user, id);
  }

  /** A widget that still holds spaces is kept: deleting it would take their history along. */
  async delete(user: UserRecord, id: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      await visibleWidget(tx, user, id);
      if (!isAdmin(user)) throw new NotAllowedError(ADMINS_ONLY);
      const spaces = await tx.widgets.chatCount(id);
      if (spaces > 0) throw InvalidFieldError.field('widget', `The widget still has ${spaces} space${spaces === 1 ? '' : 's'}; delete them first.`);
      await tx.widgets.delete(id);
    });
  }
}
