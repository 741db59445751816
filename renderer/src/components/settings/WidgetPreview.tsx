import type { WidgetSettings } from '../../../../common/widget-settings';
import { useT } from '../../i18n/i18n';

/**
 * What a visitor will see, drawn from the unsaved settings as they are edited: the launcher in the
 * page corner and the open panel, in the widget's colour, theme and texts. A drawing rather than
 * the real widget in a frame: the real one reads its settings from the server, so it could show
 * only what is already saved.
 */
export function WidgetPreview({ name, settings }: { name: string; settings: WidgetSettings }) {
  const t = useT();
  const dark = settings.theme === 'dark';
  const accent = { backgroundColor: settings.color };
  return (
    <figure className={`widget-preview${dark ? ' is-dark' : ''}`} aria-label={t('widgets.preview')} data-testid="widget-preview">
      <div className="widget-preview-page" aria-hidden="true">
        <div className="widget-preview-panel">
          <header className="widget-preview-head" style={accent}>
            <strong>{settings.title || name}</strong>
            {settings.description && <span>{settings.description}</span>}
          </header>
          <div className="widget-preview-thread">
            {!settings.active && <p className="widget-preview-note">{t('widgets.previewOff')}</p>}
            {settings.welcome_message && <p className="widget-preview-bubble">{settings.welcome_message}</p>}
            {settings.use_opening_hours && settings.offline_message && <p className="widget-preview-note">{settings.offline_message}</p>}
            {settings.require_client_data && (
              <div className="widget-preview-fields">
                {settings.client_data_fields.map((field) => (
                  <span key={field}>{t(`widgets.field.${field}`)}</span>
                ))}
              </div>
            )}
          </div>
          <footer className="widget-preview-composer">
            {settings.allow_client_attachments && <span className="widget-preview-clip">+</span>}
            <span className="widget-preview-input">{t('widgets.previewInput')}</span>
            <span className="widget-preview-send" style={accent} />
          </footer>
        </div>
        <span className="widget-preview-launcher" data-testid="widget-preview-launcher" style={accent} />
      </div>
      <figcaption className="muted small">{t('widgets.previewCaption')}</figcaption>
    </figure>
  );
}
